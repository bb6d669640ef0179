"""The ``raadsinzicht`` command: a thin shell over the Engine (parse arguments, call the
library, render Dutch output or JSON)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .dates import parse_date
from .engine import Engine, build_engine
from .errors import RaadsinzichtError
from .ingest import ProgressCallback
from .metadata import DOCUMENT_KINDS
from .retrieve import SearchFilters
from .settings import Settings, load_settings

app = typer.Typer(
    name="raadsinzicht",
    help="Vragen, zoeken en samenvatten in raadsinformatie — volledig lokaal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None, typer.Option("--home", help="Datamap (standaard ./.raadsinzicht).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML-configuratiebestand.")
    ] = None,
) -> None:
    ctx.obj = {"home": home, "config": config}


def _fail(message: object) -> NoReturn:
    """One clear line on stderr (the message verbatim, never read as markup), exit 2."""
    err.print(f"[red]Fout:[/red] {escape(str(message))}", highlight=False)
    raise typer.Exit(2)


def _settings(ctx: typer.Context) -> Settings:
    try:
        return load_settings(ctx.obj["config"], home=ctx.obj["home"])
    except RaadsinzichtError as exc:
        _fail(exc)


@contextmanager
def _engine(ctx: typer.Context) -> Iterator[Engine]:
    """Build the engine from settings; turn our errors into one clear line, exit 2."""
    try:
        engine = build_engine(_settings(ctx))
    except RaadsinzichtError as exc:
        _fail(exc)
    try:
        yield engine
    except RaadsinzichtError as exc:
        _fail(exc)
    finally:
        engine.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    labels = {"parse": "Lezen en knippen", "embed": "Vectoren berekenen"}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
        console=err,
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int, detail: str) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total, detail="")
            bar.update(tasks[stage], completed=done, total=total, detail=detail[-60:])

        yield update


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    parsed = parse_date(value)
    if parsed is None:
        err.print(f"[red]Fout:[/red] {option}: '{value}' is geen datum (bijv. 2025-01-31)")
        raise typer.Exit(2)
    return parsed


def _check_kinds(kinds: list[str]) -> tuple[str, ...]:
    unknown = [k for k in kinds if k not in DOCUMENT_KINDS]
    if unknown:
        err.print(
            f"[red]Fout:[/red] onbekende soort {', '.join(unknown)}; kies uit: "
            + ", ".join(DOCUMENT_KINDS)
        )
        raise typer.Exit(2)
    return tuple(kinds)


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="PDF-bestanden of mappen (standaard: ingest/).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport als JSON.")] = False,
    embed: Annotated[
        bool, typer.Option("--embed/--no-embed", help="Vectoren meteen berekenen.")
    ] = True,
    reindex: Annotated[
        bool, typer.Option("--reindex", help="Alle vectoren opnieuw berekenen (andere embedder).")
    ] = False,
) -> None:
    """Documenten indexeren: nieuw, gewijzigd en verwijderd worden bijgewerkt."""
    with _engine(ctx) as engine, _progress(sys.stderr.isatty()) as progress:
        report = engine.ingest(paths, embed=embed, reindex=reindex, progress=progress)
    if as_json:
        _print_json(report.to_dict())
    else:
        for warning in report.warnings:
            err.print(f"[yellow]Waarschuwing:[/yellow] {warning}")
        for failure in report.failed:
            err.print(f"[red]Mislukt:[/red] {failure.file}: {failure.error}")
        out.print(
            f"{report.added} nieuw, {report.updated} gewijzigd, {report.unchanged} ongewijzigd, "
            f"{report.removed} verwijderd, {len(report.failed)} mislukt — index: "
            f"{report.documents} documenten, {report.pages} pagina's ({report.ocr_pages} via OCR), "
            f"{report.chunks} fragmenten; {report.seconds:.1f} s"
        )
        if report.pending_embeddings:
            out.print(
                f"{report.pending_embeddings} fragmenten nog zonder vector (alleen op trefwoord "
                "vindbaar); `raadsinzicht embed` rekent ze uit."
            )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def embed(ctx: typer.Context) -> None:
    """Vectoren berekenen voor fragmenten die er nog geen hebben."""
    with _engine(ctx) as engine, _progress(sys.stderr.isatty()) as progress:
        done = engine.embed_pending(progress=progress)
    out.print(f"{done} fragmenten van een vector voorzien.")


@app.command()
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="Uw vraag.")],
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Documentsoort.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Vanaf datum.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Tot en met datum.")] = None,
    collection: Annotated[
        list[str] | None, typer.Option("--collection", help="Collectie (submap van ingest/).")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Vraagsjabloon uit prompts/.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Originele gegevens tonen (alleen privacy.reveal_users)."),
    ] = False,
) -> None:
    """Een vraag beantwoorden met bronvermelding uit de geïndexeerde documenten."""
    import getpass

    user = getpass.getuser()
    filters = SearchFilters(
        kinds=_check_kinds(kind or []),
        since=_parse_day(since, "--since"),
        until=_parse_day(until, "--until"),
        collections=tuple(collection or ()),
    )
    with _engine(ctx) as engine:
        answer = _stream_answer(
            engine.stream_answer(question, filters=filters, template=template, user=user),
            show=not as_json,
        )
        data = answer.to_dict()
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = json.loads(engine.reveal(json.dumps(data, ensure_ascii=False), user=user))
    if as_json:
        _print_json(data)
        return
    if answer.generated:
        _print_generated(data)
    elif data["refused"] and data["sources"]:
        out.print("\n[bold]Dichtstbijzijnde bronnen[/bold]")
        for source in data["sources"][:5]:
            out.print(f"- {source['file']}, p. {source['page']}", highlight=False, markup=False)
    out.print("[dim]AI adviseert, de mens beslist: controleer altijd de bronnen.[/dim]")


def _stream_answer(events: Iterator[Any], *, show: bool) -> Any:
    """Consume an answer stream: the extractive answer at once (``show``), the model's
    status lines and unchecked text on stderr; returns the final Answer."""
    from .answer import Answer, GenerationStatus
    from .extractive import ExtractiveAnswer

    answer: Answer | None = None
    writing = False
    for event in events:
        if isinstance(event, ExtractiveAnswer):
            if show:
                _print_extractive(event)
        elif isinstance(event, GenerationStatus):
            # Always a status line (also with --json): a CPU model can take a minute.
            if event.stage == "answer" and event.generated_tokens > 1 and err.is_terminal:
                continue  # the text itself shows progress on a terminal
            if writing:
                err.print()
            err.print(f"[dim]{escape(event.describe())}[/dim]", highlight=False)
            writing = False
        elif isinstance(event, str):
            if show:
                err.print(event, end="", highlight=False, markup=False)
                writing = True
        else:
            answer = event
    assert answer is not None
    return answer


def _print_extractive(extractive: Any) -> None:
    data = extractive.to_dict()
    out.print("[bold]Antwoord uit de bronnen[/bold]")
    out.print(data["text"], highlight=False, markup=False)
    for quote in data["quotes"]:
        out.print(
            f"  [{quote['n']}] {quote['file']}, p. {quote['page']}",
            highlight=False,
            markup=False,
            style="dim",
        )


def _print_generated(data: dict[str, Any]) -> None:
    out.print(
        f"\n[bold]Antwoord van {escape(data['model'])}[/bold] (gecontroleerd tegen de bronnen)"
    )
    out.print(data["answer"], highlight=False, markup=False)
    if data["citations"]:
        out.print("\n[bold]Bronnen[/bold]")
        for citation in data["citations"]:
            out.print(
                f"[{citation['n']}] {citation['file']}, p. {citation['page']}: "
                f"“{citation['quote']}”",
                highlight=False,
                markup=False,
            )
    if data["flagged"]:
        out.print(
            f"\n[yellow]{len(data['flagged'])} zin(nen) niet onderbouwd door de bronnen — "
            "controleer zelf.[/yellow]"
        )


@app.command()
def summarize(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Pad of bestandsnaam van het document.")],
    template: Annotated[
        str, typer.Option("--template", help="Samenvattingssjabloon (zie `templates`).")
    ] = "algemeen",
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Originele gegevens tonen (alleen privacy.reveal_users)."),
    ] = False,
) -> None:
    """Een document samenvatten met paginaverwijzingen (lange documenten in delen)."""
    import getpass

    user = getpass.getuser()
    with _engine(ctx) as engine:
        labels = {"map": "Delen samenvatten"}
        if sys.stderr.isatty():
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
            ) as bar:
                tasks: dict[str, Any] = {}

                def update(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                summary = engine.summarize(path, template=template, user=user, progress=update)
        else:
            summary = engine.summarize(path, template=template, user=user)
        data = summary.to_dict()
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = json.loads(engine.reveal(json.dumps(data, ensure_ascii=False), user=user))
    if as_json:
        _print_json(data)
        return
    out.print(
        f"[bold]{escape(data['title'])}[/bold] ({escape(data['file'])}) — sjabloon "
        f"{escape(data['template'])}"
    )
    out.print(data["summary"], highlight=False, markup=False)
    if data["flagged"]:
        out.print(
            f"\n[yellow]{len(data['flagged'])} punt(en) niet onderbouwd door de tekst — "
            "controleer zelf.[/yellow]"
        )
    out.print("[dim]AI adviseert, de mens beslist: controleer altijd de bronnen.[/dim]")


@app.command()
def templates(ctx: typer.Context) -> None:
    """De sjablonen in de promptbibliotheek."""
    with _engine(ctx) as engine:
        library = engine.prompts
    table = Table("Naam", "Taak", "Omschrijving", "Bestand")
    for item in library.list():
        table.add_row(item.name, item.task, item.description, item.path.name)
    out.print(table)


@app.command()
def audit(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Vanaf datum.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Laatste N.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Het auditlog: elke vraag en samenvatting met bronnen, model en antwoord."""
    day = _parse_day(since, "--since")
    with _engine(ctx) as engine:
        records = engine.audit.records(since=day, limit=limit)
    if as_json:
        _print_json([record.to_dict() for record in records])
        return
    table = Table("Tijd", "Actie", "Invoer", "Model", "Geweigerd", "Fout")
    for record in records:
        table.add_row(
            record.time,
            record.action,
            record.input[:60],
            record.model or "",
            "ja" if record.refused else "",
            (record.error or "")[:40],
        )
    out.print(table)


@app.command()
def documents(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Geïndexeerde documenten met hun metadata."""
    with _engine(ctx) as engine:
        records = engine.documents()
    if as_json:
        _print_json([record.to_dict() for record in records])
        return
    table = Table("Bestand", "Soort", "Titel", "Datum", "Organisatie", "Pag.", "Frag.")
    for record in records:
        table.add_row(
            record.file,
            DOCUMENT_KINDS.get(record.kind, record.kind),
            record.title[:60],
            record.date.isoformat() if record.date else "",
            record.organisation or "",
            str(record.pages),
            str(record.chunks),
        )
    out.print(table)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Zoekvraag.")],
    top: Annotated[int, typer.Option("--top", min=1, help="Aantal resultaten.")] = 10,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Documentsoort.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Vanaf datum.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Tot en met datum.")] = None,
    collection: Annotated[
        list[str] | None, typer.Option("--collection", help="Collectie (submap van ingest/).")
    ] = None,
    organisation: Annotated[
        list[str] | None, typer.Option("--organisation", help="Organisatie.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Zoeken op trefwoord en betekenis (hybride), met filters."""
    filters = SearchFilters(
        kinds=_check_kinds(kind or []),
        since=_parse_day(since, "--since"),
        until=_parse_day(until, "--until"),
        collections=tuple(collection or ()),
        organisations=tuple(organisation or ()),
    )
    with _engine(ctx) as engine:
        hits = engine.search(query, top_k=top, filters=filters)
    if as_json:
        _print_json([hit.to_dict() for hit in hits])
        return
    if not hits:
        out.print("Geen resultaten.")
        return
    for number, hit in enumerate(hits, start=1):
        data = hit.to_dict()
        out.print(
            f"[bold]{number}. {data['title']}[/bold] — {DOCUMENT_KINDS.get(data['kind'], '')}, "
            f"{data['date'] or 'datum onbekend'}\n   {data['file']}, p. {data['page']}"
        )
        out.print("   " + data["snippet"].replace("**", ""), highlight=False)


@app.command()
def remove(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Pad of bestandsnaam van het document.")],
) -> None:
    """Een document uit beide indexen verwijderen."""
    with _engine(ctx) as engine:
        removed = engine.remove(path)
    for rel_path in removed:
        out.print(f"Verwijderd: {rel_path}")


@app.command(name="eval")
def eval_command(
    ctx: typer.Context,
    dataset: Annotated[Path, typer.Argument(help="Vragenset (JSONL), bijv. eval/dev.jsonl.")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Map met de PDF's van de vragenset.")],
    top: Annotated[int, typer.Option("--top", min=1, help="Resultaten per vraag.")] = 10,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Alleen retrieval evalueren (geen antwoorden).")
    ] = False,
    compare: Annotated[
        bool, typer.Option("--compare", help="Ook BM25, vector en llama-index-standaard meten.")
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample",
            min=1,
            help="Alleen zoveel vragen, gelijk verdeeld over de set (antwoorden van een klein "
            "lokaal model kosten per vraag een halve minuut of meer).",
        ),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            help="Antwoorden van: extractive (uit de bronnen), llamacpp (ingebouwd model) of "
            "ollama (standaard: llm.provider uit de instellingen).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport als JSON.")] = False,
) -> None:
    """Kwaliteit meten op een vragenset: zoeken (hit@k, MRR, per soort, latentie) en
    antwoorden van de ingestelde bron (juistheid, los antwoord en citaten, bronvermelding,
    weigeringen, latentie)."""
    from .evaluate import progress_reporter, render_report, run_evaluation, write_json

    if provider not in (None, "extractive", "llamacpp", "ollama"):
        _fail(f"--provider '{provider}': kies extractive, llamacpp of ollama")
    settings = _settings(ctx)
    if provider:
        settings = settings.model_copy(
            update={"llm": settings.llm.model_copy(update={"provider": provider})}
        )
    try:
        with progress_reporter(err) as progress:
            report = run_evaluation(
                settings,
                dataset,
                corpus,
                top_k=top,
                compare=compare,
                answers=not no_llm,
                sample=sample,
                progress=progress,
            )
    except RaadsinzichtError as exc:
        _fail(exc)
    if as_json:
        write_json(report)
    else:
        render_report(report, out)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Adres (standaard 127.0.0.1: alleen deze pc).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Poort (standaard 7860).")
    ] = None,
) -> None:
    """De webinterface starten (vragen, zoeken, samenvatten, documenten, beheer)."""
    from .web import serve as serve_web  # gradio loads in seconds: only for this command

    settings = _settings(ctx)
    try:
        serve_web(settings, host=host, port=port)
    except RaadsinzichtError as exc:
        _fail(exc)
    except OSError as exc:  # port in use, no permission
        _fail(f"de webinterface kon niet starten: {exc}")


@app.command(name="user-hash")
def user_hash() -> None:
    """Een wachtwoord-hash maken voor [web.users] in raadsinzicht.toml."""
    from .users import hash_password

    password = typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    if not password:
        err.print("[red]Fout:[/red] een leeg wachtwoord is niet toegestaan.")
        raise typer.Exit(2)
    line = hash_password(password)
    err.print("Zet deze regel in raadsinzicht.toml onder [web.users], met de gebruikersnaam:")
    typer.echo(f'gebruikersnaam = "{line}"')  # one unwrapped line, ready to paste


@app.command()
def redact(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="De PDF om te lakken.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="De gelakte PDF (nieuw bestand).")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Lakverslag per pagina als CSV.")
    ] = None,
    ground: Annotated[
        str | None,
        typer.Option("--ground", help="Woo-grond op elk vak (standaard 5.1.2e; BSN 5.1.1e)."),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            help="Alleen deze soort: PERSOON, ADRES, BSN, IBAN, TELEFOON, "
            "EMAIL, GEBOORTEDATUM, KENTEKEN (herhaalbaar).",
        ),
    ] = None,
    term: Annotated[
        list[str] | None, typer.Option("--term", help="Ook deze tekst lakken (herhaalbaar).")
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option("--keep", help="Deze tekst nooit lakken, bijv. de naam van een bestuurder."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Verslag als JSON.")] = False,
) -> None:
    """Persoonsgegevens lakken voor Woo-publicatie: de tekst onder elk vak wordt verwijderd."""
    import getpass

    from .redact import WOO_GROUNDS

    if ground and ground not in WOO_GROUNDS:
        err.print(f"[yellow]Let op:[/yellow] '{ground}' is geen bekende Woo-grond "
                  f"({', '.join(WOO_GROUNDS)}).")  # fmt: skip
    with _engine(ctx) as engine:
        result = engine.redact(
            path,
            output,
            types=kind or None,
            ground=ground,
            terms=term or (),
            keep=keep or (),
            user=getpass.getuser(),
        )
    if report is not None:
        result.write_csv(report)
    if as_json:
        _print_json(result.to_dict())
        return
    for warning in result.warnings:
        err.print(f"[yellow]Waarschuwing:[/yellow] {warning}", highlight=False)
    table = Table("Pagina", "Soort", "Gemaskeerd", "Woo-grond")
    for item in result.redactions:
        table.add_row(str(item.page), item.type, item.masked, item.ground)
    if result.redactions:
        out.print(table)
    out.print(
        f"{len(result.redactions)} gelakt op {len(result.per_page())} van {result.pages} "
        f"pagina's → {output}" + (f"; verslag: {report}" if report else ""),
        highlight=False,
    )
    out.print("[dim]Controleer het resultaat voordat u publiceert.[/dim]")


@app.command()
def bezwaar(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Het bezwaarschrift (PDF).")],
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Zonder taalmodel: alleen de regelgebaseerde intake.")
    ] = False,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Originele gegevens tonen (alleen privacy.reveal_users)."),
    ] = False,
) -> None:
    """Concept-intake van een bezwaarschrift: besluit, datums, termijn (Awb), gronden, verzoek."""
    import getpass

    from .bezwaar import intake_markdown

    with _engine(ctx) as engine:
        intake = engine.bezwaar(path, use_llm=not no_llm, user=getpass.getuser())
        data = intake.to_dict()
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = json.loads(engine.reveal(json.dumps(data, ensure_ascii=False),
                                            user=getpass.getuser()))  # fmt: skip
    if as_json:
        _print_json(data)
        return
    out.print(Markdown(intake_markdown(data)))


@app.command()
def algoritmeregister(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="md of json.")] = "md",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Naar dit bestand (standaard: scherm).")
    ] = None,
) -> None:
    """Concept-registratie voor het Algoritmeregister, uit de actuele configuratie."""
    from .algoritmeregister import build_entry, render_json, render_markdown

    if fmt not in ("md", "json"):
        err.print("[red]Fout:[/red] --format moet md of json zijn.")
        raise typer.Exit(2)
    with _engine(ctx) as engine:
        collections: dict[str, int] = {}
        for record in engine.documents():
            for name in record.collections or [""]:
                collections[name] = collections.get(name, 0) + 1
        fields = build_entry(engine.settings, collections=collections or None)
    text = render_json(fields) if fmt == "json" else render_markdown(fields)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
        out.print(f"Geschreven: {output}", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
