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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import RaadsinzichtError
from .readable import readable

if TYPE_CHECKING:
    from .engine import Engine
    from .progress import ProgressReporter
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


# Options shared by the commands that write a document (register entry, DPIA, impact).
FormatOption = Annotated[str, typer.Option("--format", help="md of json.")]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Naar dit bestand (standaard: scherm).")
]


@app.callback()
def main(
    ctx: typer.Context,
    home: Annotated[
        Path | None, typer.Option("--home", help="Datamap (standaard ./.raadsinzicht).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML-configuratiebestand.")
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Als deze gebruiker werken: zijn toegang tot collecties en zijn rol "
            "(standaard: het account van het besturingssysteem).",
        ),
    ] = None,
) -> None:
    from .storage import restrict_umask

    restrict_umask()  # what this command writes is readable by this account only
    ctx.obj = {"home": home, "config": config, "user": user}


def _fail(message: object) -> NoReturn:
    """One clear line on stderr (the message verbatim, never read as markup; a newline
    in it, say from a file name, does not split it), exit 2."""
    line = " ".join(str(message).split())
    err.print(f"[red]Fout:[/red] {escape(line)}", highlight=False, soft_wrap=True)
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


def _user(ctx: typer.Context) -> str:
    """Whom the command acts for (access rules, roles, audit log): ``--user``, else the
    operating-system account (never LOGNAME). The audit log also records the account
    that ran the command, so ``--user`` cannot hide who did it."""
    from .users import os_account

    named: str | None = ctx.obj.get("user") if ctx.obj else None
    return named.strip() if named and named.strip() else os_account()


def _parse_day(value: str | None, option: str) -> date | None:
    from .engine import parse_day

    try:
        return parse_day(value, option)
    except RaadsinzichtError as exc:
        _fail(exc)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


ProgressReport = Callable[..., None]  # (stage, done, total[, detail]): of ingest or a summary


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressReporter | None]:
    """Bars with the time left on stderr (a terminal only: --json output stays clean)."""
    if not enabled:
        yield None
        return
    from .progress import console_progress

    with console_progress(err) as update:
        yield update


def _filters(
    kinds: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    collections: list[str] | None = None,
    organisations: list[str] | None = None,
    **council: list[str] | None,
) -> SearchFilters:
    """The filter options as SearchFilters; ``council``: parties, speakers, submitters,
    results, meetings (--party, --speaker, ...)."""
    from .engine import search_filters

    try:
        return search_filters(
            kinds=kinds,
            since=since,
            until=until,
            collections=collections,
            organisations=organisations,
            labels=("--since", "--until"),
            **council,
        )
    except RaadsinzichtError as exc:
        _fail(exc)


def _council(
    party: list[str] | None,
    speaker: list[str] | None,
    submitter: list[str] | None,
    result: list[str] | None,
    meeting: list[str] | None,
) -> dict[str, list[str] | None]:
    return {
        "parties": party,
        "speakers": speaker,
        "submitters": submitter,
        "results": result,
        "meetings": meeting,
    }


PartyOption = Annotated[
    list[str] | None,
    typer.Option("--party", help="Partij: wat haar leden zeiden en wat zij indiende."),
]
SpeakerOption = Annotated[
    list[str] | None, typer.Option("--speaker", help='Spreker in notulen, bijv. "Lesley Arp".')
]
SubmitterOption = Annotated[
    list[str] | None, typer.Option("--submitter", help="Indiener van een motie/amendement.")
]
ResultOption = Annotated[
    list[str] | None,
    typer.Option("--result", help="Uitslag: aangenomen, verworpen, ingetrokken, aangehouden."),
]
MeetingOption = Annotated[
    list[str] | None, typer.Option("--meeting", help="Vergadering: datum of RIS-id.")
]


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
            user=_user(ctx),
        ) as job,
    ):

        def progress(stage: str, done: int, total: int, detail: str = "") -> None:
            if bar:
                bar(stage, done, total, detail)
            job.progress(stage, done, total, detail)

        report = engine.ingest(
            paths, embed=embed, reindex=reindex, progress=progress, user=_user(ctx)
        )
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
        done = engine.embed_pending(progress=progress, user=_user(ctx))
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
    party: PartyOption = None,
    speaker: SpeakerOption = None,
    submitter: SubmitterOption = None,
    result: ResultOption = None,
    meeting: MeetingOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Originele gegevens tonen (alleen privacy.reveal_users)."),
    ] = False,
) -> None:
    """Een vraag beantwoorden met bronvermelding uit de geïndexeerde documenten."""
    user = _user(ctx)
    filters = _filters(
        kind, since, until, collection, **_council(party, speaker, submitter, result, meeting)
    )
    with _engine(ctx) as engine:
        note = engine.query_note(question)
        if note and not as_json:
            err.print(f"[yellow]Let op:[/yellow] {escape(note)}", highlight=False)
        answer = _stream_answer(
            engine.stream_answer(question, filters=filters, template=template, user=user),
            show=not as_json,
        )
        data = answer.to_dict()
        if note:
            data["notes"] = [note]
        if reveal:  # locally, for an authorised user; the audit log keeps placeholders
            data = engine.reveal_data(data, user=user)
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
    _feedback_hint(data.get("audit_id"))


def _stream_answer(events: Iterator[Any], *, show: bool) -> Any:
    """Consume an answer stream: the extractive answer at once (``show``), the model's
    status lines and unchecked text on stderr; returns the final Answer."""
    from .answer import Answer, GenerationStatus
    from .extractive import ExtractiveAnswer

    answer: Answer | None = None
    writing = False
    try:
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
    finally:
        # When the output stops early (a closed pipe, Ctrl+C) the stream audits the
        # answer as abandoned: now, while the engine is open, not when it is collected.
        close = getattr(events, "close", None)
        if close is not None:
            close()
    assert answer is not None
    return answer


def _print_extractive(extractive: Any) -> None:
    data = extractive.to_dict()
    out.print("[bold]Antwoord uit de bronnen[/bold]")
    out.print(data["text"], highlight=False, markup=False)
    # One line per cited page: two quotes from one page are one source to open.
    cited = dict.fromkeys((quote["n"], quote["file"], quote["page"]) for quote in data["quotes"])
    for n, file, page in cited:
        out.print(f"  [{n}] {file}, p. {page}", highlight=False, markup=False, style="dim")


def _print_generated(data: dict[str, Any]) -> None:
    out.print(
        f"\n[bold]Antwoord van {escape(data['model'])}[/bold] (gecontroleerd tegen de bronnen)"
    )
    extractive = data.get("extractive")
    if data["refused"] and extractive and not extractive["refused"]:
        # As in the web: the model's refusal must not read as "the documents hold nothing"
        # under sentences from the documents that do answer.
        out.print(
            "Het taalmodel vond in de passages geen antwoord dat de bronnen onderbouwen. "
            "Beoordeel de zinnen uit de bronnen hierboven zelf.",
            style="yellow",
            highlight=False,
        )
        return
    out.print(data["answer"], highlight=False, markup=False)
    if data["citations"]:
        out.print("\n[bold]Bronnen[/bold]")
        for citation in data["citations"]:
            out.print(
                f"[{citation['n']}] {citation['file']}, p. {citation['page']}: "
                f"“{readable(citation['quote'])}”",
                highlight=False,
                markup=False,
            )
    if data["flagged"]:
        out.print(
            f"\n[yellow]{len(data['flagged'])} zin(nen) niet onderbouwd door de bronnen — "
            "controleer zelf.[/yellow]"
        )
    if data.get("differs"):
        from .answer import differs_note

        out.print(f"\n{differs_note(data['differs'])}", style="yellow", highlight=False)


def _feedback_hint(record_id: int | None) -> None:
    if record_id is not None:
        hint = f"Beoordelen: raadsinzicht feedback {record_id} up|down [--comment …]"
        out.print(hint, style="dim", highlight=False, markup=False)


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
    user = _user(ctx)
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
    _feedback_hint(data.get("audit_id"))


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
        str | None, typer.Option("--by", help="Alleen gebruikers met dit in hun naam.")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Alleen met deze tekst in vraag of antwoord.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Het auditlog: elke vraag en samenvatting met bronnen, model en antwoord (van
    anderen alleen voor beheerders)."""
    day = _filters(since=since).since
    with _engine(ctx) as engine:
        records = engine.audit_records(
            action=action, by_user=by_user, since=day, text=text, limit=limit, user=_user(ctx)
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
        records = engine.documents(user=_user(ctx))
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
    party: PartyOption = None,
    speaker: SpeakerOption = None,
    submitter: SubmitterOption = None,
    result: ResultOption = None,
    meeting: MeetingOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Zoeken op trefwoord en betekenis (hybride), met filters."""
    from .inbox import display_name
    from .metadata import DOCUMENT_KINDS

    filters = _filters(
        kind,
        since,
        until,
        collection,
        organisation,
        **_council(party, speaker, submitter, result, meeting),
    )
    with _engine(ctx) as engine:
        hits = engine.search(query, top_k=top, filters=filters, user=_user(ctx))
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
        who = f" — {data['speaker']}" + (f" ({data['party']})" if data["party"] else "")
        out.print(
            f"[bold]{number}. {data['title']}[/bold] — {DOCUMENT_KINDS.get(data['kind'], '')}, "
            f"{data['date'] or 'datum onbekend'}\n   {escape(display_name(data['file']))}, "
            f"p. {data['page']}" + (escape(who) if data["speaker"] else "")
        )
        out.print("   " + readable(data["snippet"]).replace("**", ""), highlight=False)


@app.command()
def remove(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="Pad of bestandsnaam van het document.")],
) -> None:
    """Een document uit beide indexen verwijderen; een bestand uit de invoermap gaat naar
    de prullenbak (anders voegt de volgende indexering het weer toe)."""
    with _engine(ctx) as engine:
        removed = engine.remove(path, user=_user(ctx))
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
        index = engine.index_status(user=_user(ctx))
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
            job = engine.cancel_job(cancel, user=_user(ctx))
            out.print(f"Taak {job.id}: {job.status_label}.", highlight=False)
            return
        if resume is not None:
            # It runs in this process: wait for it, showing its progress.
            job = _wait_for(engine, engine.resume_job(resume, user=_user(ctx)))
            out.print(
                f"Taak {job.id} ({job.description}): {job.status_label}"
                + (f" — {job.error}" if job.error else ""),
                highlight=False,
                markup=False,
            )
            if job.status != "done":
                raise typer.Exit(1)
            return
        listed = engine.list_jobs(user=_user(ctx), limit=limit)
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


@app.command()
def sync(
    ctx: typer.Context,
    connector: Annotated[str, typer.Argument(help="Bron: openbesluitvorming.")],
    source: Annotated[
        str, typer.Option("--source", help="Sleutel van de organisatie bij de bron, bijv. soest.")
    ],
    since: Annotated[
        str | None, typer.Option("--since", help="Alleen documenten vanaf deze datum.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Adres van de API (standaard uit settings).")
    ] = None,
    embed: Annotated[
        bool, typer.Option("--embed/--no-embed", help="Vectoren meteen berekenen.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Rapport als JSON.")] = False,
) -> None:
    """Raadsinformatie ophalen: vergaderingen, agendapunten, moties met stemmingen en
    documenten (als collectie met de naam van de bron). Hervat waar een vorige keer stopte."""
    day = _parse_day(since, "--since")
    with _engine(ctx) as engine, _progress(sys.stderr.isatty()) as progress:
        report = engine.sync(connector, source, since=day, base_url=base_url, embed=embed,
                             progress=progress, user=_user(ctx))  # fmt: skip
    if as_json:
        _print_json(report.to_dict())
    else:
        for failure in report.failed:
            err.print(
                f"[red]Mislukt:[/red] {escape(failure.name)} ({failure.entity_id}): "
                f"{escape(failure.error)}",
                highlight=False,
                soft_wrap=True,
            )
        if report.error:
            err.print(f"[red]Onderbroken:[/red] {escape(report.error)}", highlight=False,
                      soft_wrap=True)  # fmt: skip
        out.print(report.summary(), highlight=False, markup=False, soft_wrap=True)
        if report.error:
            out.print("Voer dezelfde opdracht opnieuw uit om verder te gaan waar hij stopte.")
    if report.error or report.failed:
        raise typer.Exit(1)


@app.command()
def votes(
    ctx: typer.Context,
    question: Annotated[
        str, typer.Argument(help="Onderwerp of vraag, bijv. 'badhuisarchitectuur'.")
    ] = "",
    result: ResultOption = None,
    meeting: MeetingOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Aantal moties.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Moties en amendementen met uitslag, stemverhouding en de pagina waar die staat."""
    filters = _filters(results=result, meetings=meeting)
    with _engine(ctx) as engine:
        facts = engine.vote_facts(
            question,
            results=filters.results,
            meetings=filters.meetings,
            limit=top,
            user=_user(ctx),
        )
    if as_json:
        _print_json([fact.to_dict() for fact in facts])
        return
    if not facts:
        out.print("Geen moties of stemmingen gevonden.")
        return
    for fact in facts:
        out.print(fact.summary(), highlight=False, markup=False)
        for vote in fact.votes:
            out.print(f"   {vote.option}: {vote.party or ''} {vote.members or ''}".rstrip(),
                      highlight=False, markup=False)  # fmt: skip
        for evidence in fact.evidence:
            page = f", p. {evidence.page}" if evidence.page else ""
            out.print(f"   [dim]{evidence.file}{page}: {evidence.text[:100]}[/dim]",
                      highlight=False)  # fmt: skip


@app.command()
def speakers(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Sprekers in de geïndexeerde notulen (voor --speaker en --party)."""
    with _engine(ctx) as engine:
        found = engine.speakers(user=_user(ctx))
    if as_json:
        _print_json([speaker.to_dict() for speaker in found])
        return
    table = Table("Spreker", "Rol", "Partij", "Fragmenten")
    for speaker in found:
        table.add_row(speaker.name, speaker.role or "", speaker.party or "", str(speaker.passages))
    out.print(table)


@app.command()
def dossier(
    ctx: typer.Context,
    subject: Annotated[
        str, typer.Argument(help="Pad of bestandsnaam van een document, of een zoekvraag.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Het dossier van een document: samenhangende stukken op datum, elk met de reden."""
    with _engine(ctx) as engine:
        result = engine.dossier(subject, user=_user(ctx))
    if as_json:
        _print_json(result.to_dict())
        return
    if not result.entries:
        out.print("Geen dossier gevonden.")
        return
    from .metadata import DOCUMENT_KINDS

    for entry in result.entries:
        when = entry.date.isoformat() if entry.date else "datum onbekend"
        outcome = f" — {entry.outcome}" if entry.outcome else ""
        marker = "▶ " if entry.start else "  "
        out.print(
            f"{marker}[bold]{when}[/bold] {DOCUMENT_KINDS.get(entry.kind, entry.kind)}{outcome}: "
            f"{escape(entry.title)}\n    {escape(entry.file)}, p. {entry.page}",
            highlight=False,
        )
        for link in entry.links[:3]:
            out.print(f"    [dim]{link.type}: {escape(link.evidence[:110])}[/dim]", highlight=False)


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
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Een bestaande uitvoer (-o, --report) vervangen.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Verslag als JSON.")] = False,
) -> None:
    """Persoonsgegevens lakken voor Woo-publicatie: de tekst onder elk vak wordt verwijderd."""
    from .inbox import display_name
    from .redact import WOO_GROUNDS

    if report is not None and report.is_dir():
        _fail(f"--report {display_name(str(report))} is een map; geef een bestandsnaam (.csv)")
    if report is not None and report.exists() and not overwrite:
        _fail(f"--report {display_name(str(report))} bestaat al; kies een andere naam "
              "(of --overwrite)")  # fmt: skip
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
            user=_user(ctx),
            overwrite=overwrite,
        )
        if report is not None:
            try:
                result.write_csv(report)
            except OSError as exc:
                _fail(f"het lakverslag kon niet geschreven worden: {exc.strerror}")
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

    user = _user(ctx)
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
    fmt: FormatOption = "md",
    output: OutputOption = None,
) -> None:
    """Concept-registratie voor het Algoritmeregister, uit de actuele configuratie."""
    from .algoritmeregister import build_entry, render_json, render_markdown

    _check_format(fmt)
    with _engine(ctx) as engine:
        fields = build_entry(engine.settings, collections=engine.collections() or None)
    _write_text(render_json(fields) if fmt == "json" else render_markdown(fields), output)


def _check_format(fmt: str) -> None:
    if fmt not in ("md", "json"):
        _fail("--format moet md of json zijn.")


def _write_text(text: str, output: Path | None) -> None:
    """To stdout, or to ``output`` with one line saying so."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    out.print(f"Geschreven: {output}", highlight=False)


@app.command()
def dpia(
    ctx: typer.Context,
    fmt: FormatOption = "md",
    output: OutputOption = None,
) -> None:
    """DPIA-bouwsteen: persoonsgegevens, opslag, pseudonimisering, toegang, bewaartermijnen
    en het model, uit de actuele configuratie."""
    from .dpia import render_dpia

    _check_format(fmt)
    with _engine(ctx) as engine:
        fields = engine.dpia(user=_user(ctx))
    _write_text(render_dpia(fields, fmt=fmt), output)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.0f}%"


def _decimal(value: float | None) -> str:
    """One decimal, Dutch style (0,7)."""
    from babel.numbers import format_decimal

    return "–" if value is None else format_decimal(value, format="0.0", locale="nl")


def _impact_table(title: str, periods: list[Any]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Periode", no_wrap=True)
    for name in ("Vragen", "Samenv.", "Intakes", "Gelakt", "Gebr.", "Geweigerd", "Gemarkeerd",
                 "👍", "👎", "Vraag p50/p95 s", "Bespaard* uur"):  # fmt: skip
        table.add_column(name, justify="right")
    for stats in periods:
        latency = stats.latency["ask"]
        table.add_row(
            stats.label, str(stats.questions), str(stats.summaries), str(stats.intakes),
            str(stats.redactions), str(stats.active_users), _percent(stats.refusal_rate),
            _percent(stats.flagged_share), str(stats.feedback_up), str(stats.feedback_down),
            f"{_decimal(latency.p50)} / {_decimal(latency.p95)}",
            _decimal(stats.minutes_saved / 60),
        )  # fmt: skip
    return table


@app.command()
def impact(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Vanaf datum.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Tot en met datum (standaard vandaag).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Als CSV (een regel per periode), voor een rapportage.")
    ] = False,
    per: Annotated[str, typer.Option("--per", help="week of maand (voor --csv).")] = "week",
    output: OutputOption = None,
) -> None:
    """Impact uit het auditlog: gebruik, weigeringen, snelheid, beoordelingen en bespaarde tijd
    (een schatting), per week en per maand (standaard de laatste 13 weken)."""
    from .impact import ACTION_LABELS, ESTIMATE_NOTE

    if as_json and as_csv:
        _fail("kies --json of --csv, niet allebei.")
    if per not in ("week", "maand"):
        _fail("--per moet week of maand zijn.")
    start, end = _parse_day(since, "--since"), _parse_day(until, "--until")
    with _engine(ctx) as engine:
        report = engine.impact(start, end, user=_user(ctx))
    if as_json:
        _write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), output)
        return
    if as_csv:
        _write_text(report.to_csv("week" if per == "week" else "month"), output)
        return
    out.print(
        f"[bold]Impact van raadsinzicht[/bold], {report.since.isoformat()} t/m "
        f"{report.until.isoformat()} ({report.timezone})"
    )
    out.print(_impact_table("Per week", report.weeks))
    out.print(_impact_table("Per maand", report.months))
    total = report.total
    out.print(
        f"Totaal: {total.questions} vragen, {total.summaries} samenvattingen, {total.intakes} "
        f"bezwaar-intakes, {total.redactions} lakopdrachten door {total.active_users} "
        f"gebruiker(s); {total.errors} fout(en).",
        highlight=False,
    )
    if total.minutes_saved_by_team:
        teams = ", ".join(
            f"{team} {_decimal(minutes / 60)} uur"
            for team, minutes in total.minutes_saved_by_team.items()
        )
        out.print(f"Bespaarde tijd per team (schatting): {teams}.", highlight=False)
    minutes = ", ".join(
        f"{ACTION_LABELS.get(action, action)} {value:g} min"
        for action, value in report.minutes_per_action.items()
    )
    out.print(
        f"* {ESTIMATE_NOTE} Ingesteld: {minutes}.", style="dim", highlight=False, markup=False
    )
    if report.feedback:
        out.print("\n[bold]Laatste beoordelingen[/bold]")
        for entry in report.feedback[:10]:
            thumb = "👍" if entry.verdict == "up" else "👎"
            about = (entry.input or f"record {entry.record_id}")[:60]
            remark = f": “{entry.comment}”" if entry.comment else ""
            out.print(
                f"{entry.time[:16]} {thumb} {entry.user or 'onbekend'} over “{about}”{remark}",
                highlight=False,
                markup=False,
            )


@app.command()
def feedback(
    ctx: typer.Context,
    record_id: Annotated[int, typer.Argument(help="Nummer van het auditrecord (zie `audit`).")],
    verdict: Annotated[str, typer.Argument(help="up (duim omhoog) of down (duim omlaag).")],
    comment: Annotated[
        str | None, typer.Option("--comment", help="Toelichting (optioneel).")
    ] = None,
) -> None:
    """Een antwoord, samenvatting of bezwaar-intake beoordelen (duim omhoog of omlaag)."""
    with _engine(ctx) as engine:
        item = engine.feedback(record_id, verdict, comment=comment, user=_user(ctx))
    thumb = "duim omhoog" if item.verdict == "up" else "duim omlaag"
    out.print(f"Beoordeling vastgelegd bij auditrecord {item.record_id}: {thumb}.")


@app.command()
def purge(
    ctx: typer.Context,
    before: Annotated[
        str | None,
        typer.Option("--before", help="Alleen ouder dan deze datum (standaard: alles verlopen)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON.")] = False,
) -> None:
    """Verlopen auditrecords, beoordelingen en pseudoniemen verwijderen (bewaartermijnen in
    [retention]); wat jonger is dan de bewaartermijn blijft altijd staan. Wordt gelogd."""
    day = _parse_day(before, "--before")
    with _engine(ctx) as engine:
        report = engine.purge(day, user=_user(ctx))
    if as_json:
        _print_json(report.to_dict())
        return
    out.print(report.summary() + ".", highlight=False)
    if report.limited:
        out.print(
            f"[yellow]Let op:[/yellow] niet alles van vóór {day} is verwijderd: de "
            f"bewaartermijnen zijn {report.audit_days} dagen (auditlog) en "
            f"{report.pseudonym_days} dagen (pseudoniemen).",
            highlight=False,
        )


def _print_example(item: Any) -> None:
    """One example question of the demo with its cited answer (or search results)."""
    out.rule(item.question.group, align="left")
    out.print(f"[bold]{escape(item.question.question)}[/bold]", highlight=False)
    if item.answer is None:
        snippets = [" ".join(readable(hit.snippet).replace("**", "").split()) for hit in item.hits]
        lines = [
            f"  [{n}] {hit.file}, p. {hit.page}: “{snippet}”"
            for n, (hit, snippet) in enumerate(zip(item.hits, snippets, strict=True), start=1)
        ]
    else:
        out.print(item.answer.text, highlight=False, markup=False)
        lines = [
            f"  [{c.n}] {c.file}, p. {c.page}: “{readable(c.quote)}”" for c in item.answer.citations
        ]
    for line in lines:
        out.print(line, highlight=False, markup=False)
    if item.answer is not None:
        out.print(f"[dim]{item.answer.seconds:.1f} s[/dim]")


@app.command()
def demo(
    ctx: typer.Context,
    examples: Annotated[
        Path | None,
        typer.Option("--examples", help="Map met voorbeeld-PDF's (standaard: examples/)."),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(
            "--provider",
            help="Antwoorden van dit taalmodel (bijv. ollama); standaard: uit de bronnen, "
            "zonder taalmodel, in seconden.",
        ),
    ] = None,
) -> None:
    """Eerste kennismaking: de voorbeelddocumenten indexeren en per soort gebruiker een
    vraag beantwoorden met bronvermelding. De voorbeelden blijven in de index."""
    import time

    from .demo import (
        ExampleQuestion,
        answer_examples,
        answer_settings,
        find_examples,
        index_examples,
        start_privacy_warmup,
    )
    from .privacy import is_sensitive

    started = time.perf_counter()
    settings = _settings(ctx)
    try:
        folder = find_examples(examples)
        answering = answer_settings(settings, provider)
        from .engine import build_engine

        engine = build_engine(answering or settings)
    except RaadsinzichtError as exc:
        _fail(exc)
    warmup = start_privacy_warmup(settings, folder) if answering else None
    try:
        out.print(f"[bold]Voorbeelddocumenten indexeren[/bold] uit {folder} …", highlight=False)
        with _progress(sys.stderr.isatty()) as progress:
            report = index_examples(engine, folder, progress=progress)
        out.print(
            f"Index: {report.documents} documenten, {report.pages} pagina's "
            f"({report.ocr_pages} via OCR) in {report.seconds:.0f} s.",
            highlight=False,
        )
        if answering is None:
            out.print("Deze versie kan zonder taalmodel niet antwoorden: de beste zoekresultaten.")
        elif answering.llm.provider == "extractive":
            out.print("Antwoorden uit de bronnen: letterlijk geciteerd, zonder taalmodel.")
        else:
            out.print(f"Antwoorden van het taalmodel (provider {answering.llm.provider}).")
        user = _user(ctx)

        def wait_for_name_recogniser(item: ExampleQuestion) -> None:
            # On a new machine deduce may still be building its cache (a minute or two):
            # say so rather than sit silent before the pseudonymised question.
            if warmup is None or not warmup.is_alive():
                return
            if is_sensitive(settings, item.collections):
                out.print(
                    "Namenherkenning (deduce) wordt eenmalig opgebouwd voor de "
                    "gepseudonimiseerde bezwaarstukken; op een nieuwe machine duurt dat "
                    "een à twee minuten …",
                    highlight=False,
                )
                warmup.join()

        for item in answer_examples(
            engine, answering=answering is not None, user=user, before=wait_for_name_recogniser
        ):
            _print_example(item)
    except RaadsinzichtError as exc:
        _fail(exc)
    finally:
        engine.close()
        if warmup is not None:
            warmup.join()
    out.rule()
    out.print(
        f"Klaar in {time.perf_counter() - started:.0f} s. De voorbeelden blijven in de index "
        f"({settings.home}); verder met:\n"
        "  .venv/bin/raadsinzicht serve             de webinterface (http://127.0.0.1:7860)\n"
        '  .venv/bin/raadsinzicht ask "uw vraag"    een eigen vraag\n'
        "  eigen PDF's in ingest/ zetten, dan       .venv/bin/raadsinzicht ingest\n"
        "[dim]AI adviseert, de mens beslist: controleer altijd de bronnen.[/dim]",
        highlight=False,
    )


if __name__ == "__main__":  # pragma: no cover
    app()
