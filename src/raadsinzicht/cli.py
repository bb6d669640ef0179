"""The ``raadsinzicht`` command: a thin shell over the Engine (parse arguments, call the
library, render Dutch output or JSON).

Start-up matters here (``--help`` within a second): the engine and everything heavy are
imported inside the commands that use them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import RaadsinzichtError

if TYPE_CHECKING:
    from .engine import Engine
    from .retrieve import SearchFilters
    from .settings import Settings

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
    from .settings import load_settings

    try:
        return load_settings(ctx.obj["config"], home=ctx.obj["home"])
    except RaadsinzichtError as exc:
        _fail(exc)


@contextmanager
def _engine(ctx: typer.Context) -> Iterator[Engine]:
    """Build the engine from settings; turn our errors into one clear line, exit 2."""
    from .engine import build_engine

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


def _os_user() -> str:
    """The user a CLI command runs as (recorded in the audit log)."""
    import getpass

    return getpass.getuser()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


ProgressReport = Callable[..., None]  # (stage, done, total[, detail]): of ingest or a summary


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressReport | None]:
    """A progress bar per stage on stderr (only on a terminal) for any engine operation."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from .jobs import STAGE_LABELS

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

        def update(stage: str, done: int, total: int, detail: str = "") -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=total, detail="")
            bar.update(tasks[stage], completed=done, total=total, detail=detail[-60:])

        yield update


def _filters(
    kinds: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    collections: list[str] | None = None,
    organisations: list[str] | None = None,
) -> SearchFilters:
    from .engine import search_filters

    try:
        return search_filters(
            kinds=kinds,
            since=since,
            until=until,
            collections=collections,
            organisations=organisations,
            labels=("--since", "--until"),
        )
    except RaadsinzichtError as exc:
        _fail(exc)


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
    from .inbox import display_name

    names = [display_name(str(p)) for p in paths or []]
    with (
        _engine(ctx) as engine,
        _progress(sys.stderr.isatty()) as bar,
        # Recorded as a job: the web app shows it, and can cancel it.
        engine.jobs.foreground(
            "ingest",
            f"Indexeren vanaf de opdrachtregel: {', '.join(names)[:200] or 'invoermap'}",
            {"paths": names, "reindex": reindex},
            user=_os_user(),
        ) as job,
    ):

        def progress(stage: str, done: int, total: int, detail: str = "") -> None:
            if bar:
                bar(stage, done, total, detail)
            job.progress(stage, done, total, detail)

        report = engine.ingest(paths, embed=embed, reindex=reindex, progress=progress)
        job.result = {"report": report.to_dict()}
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
    user = _os_user()
    filters = _filters(kind, since, until, collection)
    with _engine(ctx) as engine:
        note = engine.query_note(question)
        if note and not as_json:
            err.print(f"[yellow]Let op:[/yellow] {escape(note)}", highlight=False)
        if as_json:
            answer = engine.ask(question, filters=filters, template=template, user=user)
        else:
            answer = None
            for event in engine.stream_answer(
                question, filters=filters, template=template, user=user
            ):
                if isinstance(event, str):
                    err.print(event, end="", highlight=False, markup=False)
                else:
                    answer = event
            err.print()
        assert answer is not None
        data = answer.to_dict()
        if note:
            data["notes"] = [note]
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = engine.reveal_data(data, user=user)
    if as_json:
        _print_json(data)
        return
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
    elif data["sources"]:
        out.print("\n[bold]Dichtstbijzijnde bronnen[/bold]")
        for source in data["sources"][:5]:
            out.print(f"- {source['file']}, p. {source['page']}", highlight=False, markup=False)
    if data["flagged"]:
        out.print(
            f"\n[yellow]{len(data['flagged'])} zin(nen) niet onderbouwd door de bronnen — "
            "controleer zelf.[/yellow]"
        )
    out.print("[dim]AI adviseert, de mens beslist: controleer altijd de bronnen.[/dim]")


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
    user = _os_user()
    with _engine(ctx) as engine, _progress(sys.stderr.isatty()) as progress:
        summary = engine.summarize(path, template=template, user=user, progress=progress)
        data = summary.to_dict()
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = engine.reveal_data(data, user=user)
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
    action: Annotated[
        str | None, typer.Option("--action", help="Alleen deze actie (ask, summarize, ...).")
    ] = None,
    by_user: Annotated[
        str | None, typer.Option("--user", help="Alleen gebruikers met dit in hun naam.")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Alleen met deze tekst in vraag of antwoord.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Het auditlog: elke vraag en samenvatting met bronnen, model en antwoord."""
    day = _filters(since=since).since
    with _engine(ctx) as engine:
        records = engine.audit_records(
            action=action, by_user=by_user, since=day, text=text, limit=limit, user=_os_user()
        )[::-1]  # oldest first, like a log
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
    from .inbox import display_name
    from .metadata import DOCUMENT_KINDS

    with _engine(ctx) as engine:
        records = engine.documents(user=_os_user())
    if as_json:
        _print_json([record.to_dict() for record in records])
        return
    table = Table("Bestand", "Soort", "Titel", "Datum", "Organisatie", "Pag.", "Frag.")
    for record in records:
        table.add_row(
            display_name(record.file),
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
    from .inbox import display_name
    from .metadata import DOCUMENT_KINDS

    filters = _filters(kind, since, until, collection, organisation)
    with _engine(ctx) as engine:
        hits = engine.search(query, top_k=top, filters=filters, user=_os_user())
    if as_json:
        _print_json([hit.to_dict() for hit in hits])
        return
    for note in hits.notes:
        err.print(f"[yellow]Let op:[/yellow] {escape(note)}", highlight=False)
    if not hits:
        out.print("Geen resultaten.")
        return
    for number, hit in enumerate(hits, start=1):
        data = hit.to_dict()
        out.print(
            f"[bold]{number}. {data['title']}[/bold] — {DOCUMENT_KINDS.get(data['kind'], '')}, "
            f"{data['date'] or 'datum onbekend'}\n   {escape(display_name(data['file']))}, "
            f"p. {data['page']}"
        )
        out.print("   " + data["snippet"].replace("**", ""), highlight=False)


@app.command()
def remove(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Pad of bestandsnaam van het document.")],
) -> None:
    """Een document uit beide indexen verwijderen; een bestand uit de invoermap gaat naar
    de prullenbak (anders voegt de volgende indexering het weer toe)."""
    with _engine(ctx) as engine:
        removed = engine.remove(path, user=_os_user())
    for removal in removed:
        where = " (naar de prullenbak van de datamap)" if removal.trashed else ""
        out.print(f"Verwijderd: {removal.file}{where}", highlight=False, markup=False)


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Wat er draait: de index, het taalmodel en lopende indexeertaken."""
    from dataclasses import asdict

    with _engine(ctx) as engine:
        index = engine.index_status(user=_os_user())
        problem = engine.model_status()
        model = engine.llm().name if problem is None else None
    if as_json:
        data = asdict(index) | {"model": model, "model_problem": problem}
        data["active_jobs"] = [job.to_dict() for job in index.active_jobs]
        _print_json(data)
        return
    out.print(
        f"Index: {index.documents} documenten, {index.pages} pagina's, {index.chunks} "
        f"fragmenten ({index.pending_embeddings} nog zonder vector), "
        f"{index.disk_bytes / 1048576:.1f} MB",
        highlight=False,
    )
    out.print(f"Taalmodel: {model or 'niet beschikbaar — ' + str(problem)}", highlight=False,
              markup=False)  # fmt: skip
    for job in index.active_jobs:
        out.print(f"Taak {job.id}: {job.description} — {job.progress_label or job.status_label}",
                  highlight=False, markup=False)  # fmt: skip
    if index.vectors_unavailable:
        out.print("Vectoren: een ander proces schrijft ze nu (zoeken gaat op trefwoord).")


@app.command()
def jobs(
    ctx: typer.Context,
    cancel: Annotated[int | None, typer.Option("--cancel", help="Deze taak annuleren.")] = None,
    resume: Annotated[
        int | None, typer.Option("--resume", help="Deze onderbroken taak hervatten.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Laatste N taken.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Indexeertaken (uploads, herindexeren, verwijderen, ook vanaf de opdrachtregel):
    status en voortgang; annuleren of een onderbroken taak hervatten."""
    with _engine(ctx) as engine:
        if cancel is not None:
            job = engine.cancel_job(cancel, user=_os_user())
            out.print(f"Taak {job.id}: {job.status_label}.", highlight=False)
            return
        if resume is not None:
            # It runs in this process: wait for it, showing its progress.
            job = _wait_for(engine, engine.resume_job(resume, user=_os_user()))
            out.print(
                f"Taak {job.id} ({job.description}): {job.status_label}"
                + (f" — {job.error}" if job.error else ""),
                highlight=False,
                markup=False,
            )
            if job.status != "done":
                raise typer.Exit(1)
            return
        listed = engine.list_jobs(user=_os_user(), limit=limit)
    if as_json:
        _print_json([job.to_dict() for job in listed])
        return
    if not listed:
        out.print("Nog geen taken.")
        return
    table = Table("Nr.", "Gestart", "Taak", "Door", "Status", "Voortgang of uitkomst")
    for job in listed:
        table.add_row(
            str(job.id),
            job.created[:16].replace("T", " "),
            escape(job.description),
            escape(job.user or ""),
            job.status_label,
            escape(job.progress_label or job.error or _job_outcome(job)),
        )
    out.print(table)


def _wait_for(engine: Engine, job: Any) -> Any:
    import time

    with _progress(sys.stderr.isatty()) as bar:
        while job.active:
            time.sleep(0.5)
            job = engine.jobs.get(job.id)
            if bar and job.stage:
                bar(job.stage, job.done, job.total, job.detail)
    return job


def _job_outcome(job: Any) -> str:
    report = (job.result or {}).get("report")
    if report:
        return (
            f"{report['added']} nieuw, {report['updated']} gewijzigd, {report['removed']} "
            f"verwijderd, {len(report['failed'])} mislukt"
        )
    removed = (job.result or {}).get("removed")
    return f"{len(removed)} verwijderd" if removed else ""


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
    as_json: Annotated[bool, typer.Option("--json", help="Rapport als JSON.")] = False,
) -> None:
    """Kwaliteit meten op een vragenset: zoeken (hit@k, MRR, per soort, latentie) en, met
    een taalmodel, antwoorden (juistheid, bronvermelding, weigeringen)."""
    from .evaluate import progress_reporter, render_report, run_evaluation, write_json

    settings = _settings(ctx)
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
            user=_os_user(),
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
    from rich.markdown import Markdown

    from .bezwaar import intake_markdown

    user = _os_user()
    with _engine(ctx) as engine:
        intake = engine.bezwaar(path, use_llm=not no_llm, user=user)
        data = intake.to_dict()
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = engine.reveal_data(data, user=user)
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
