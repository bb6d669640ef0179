"""What the tabs share: the Engine, the translation of Gradio's inputs (the user of a
request, filters) and errors, the page preview beside answers and search results, the
filter controls, and the views that list the catalog's documents."""

from __future__ import annotations

import html
import io
import logging
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image

from ..engine import Engine, search_filters
from ..errors import RaadsinzichtError
from ..inbox import ROOT_COLLECTION, display_name, pdf_problem
from ..retrieve import SearchFilters
from .format import documents_html, dutch_date, kind_label, source_html, status_html

__all__ = ["CatalogViews", "Shell", "filter_controls", "page_preview"]

PREVIEW_DPI = 110
UNEXPECTED = (
    "Er ging iets mis (een onverwachte fout). Probeer het opnieuw; blijft het gebeuren, "
    "dan staat de oorzaak in het serverlog."
)
log = logging.getLogger(__name__)


@dataclass(slots=True)
class CatalogViews:
    """Every component that lists documents, organisations or collections; refreshed
    together when the catalog changed."""

    organisations: list[Any] = field(default_factory=list)
    collections: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)  # dropdowns of documents
    upload_collection: Any = None
    table: Any = None
    table_filter: Any = None

    def outputs(self) -> list[Any]:
        return [
            *self.organisations,
            *self.collections,
            *self.documents,
            self.upload_collection,
            self.table,
            self.table_filter,
        ]


class Shell:
    """The web app's handle on the Engine, shared by every tab's handlers."""

    def __init__(self, engine: Engine, downloads: Path | None = None) -> None:
        self.engine = engine
        self.settings = engine.settings
        # Private (0700): downloads may hold personal data (a revealed intake).
        self.downloads = downloads or Path(tempfile.mkdtemp(prefix="raadsinzicht-web-"))
        self.downloads.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.views = CatalogViews()
        self._server_paths = sorted(
            {
                str(path)
                for path in (
                    engine.home.resolve(),
                    engine.settings.ingest_dir.resolve(),
                    self.downloads.resolve(),
                    Path(tempfile.gettempdir()).resolve(),
                    Path.cwd(),
                )
            }
            - {"/"},
            key=len,
            reverse=True,
        )

    @staticmethod
    def user(request: gr.Request | None) -> str | None:
        name = getattr(request, "username", None) if request is not None else None
        return str(name) if name else None

    def message(self, text: object) -> str:
        """A message for the page: one line, no server folders, HTML as text (Gradio
        renders toasts as HTML)."""
        line = " ".join(str(text).split())
        for path in self._server_paths:
            line = line.replace(path, "…")
        return html.escape(line, quote=False)

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Our errors as Gradio's error toast (one Dutch line); anything unexpected as a
        Dutch line too, its details in the server log only (no Python types or paths)."""
        try:
            yield
        except gr.Error:
            raise
        except RaadsinzichtError as exc:
            raise gr.Error(self.message(exc)) from exc
        except Exception as exc:
            log.exception("onverwachte fout in de webinterface")
            raise gr.Error(UNEXPECTED) from exc

    def warning(self, text: object) -> None:
        gr.Warning(self.message(text))

    def filters(
        self,
        kinds: list[str] | None,
        since: str | None,
        until: str | None,
        organisations: list[str] | None,
        collections: list[str] | None,
    ) -> SearchFilters:
        with self.errors():
            return search_filters(
                kinds=kinds,
                since=since,
                until=until,
                organisations=organisations,
                collections=collections,
            )

    def pdf_input(self, doc_id: str | None, upload: str | None, user: str | None) -> Path:
        """The PDF to work on: an uploaded file (checked like uploads) or an indexed one."""
        if upload:
            source = Path(upload)
            problem = pdf_problem(source, self.settings.web.max_upload_mb)
            if problem:
                raise gr.Error(self.message(f"{display_name(source.name)}: {problem}"))
            return source
        if doc_id:
            path = self.engine.document_path(doc_id, user=user)
            if path is None:
                raise gr.Error("Het PDF-bestand van dit document is niet (meer) aanwezig.")
            return path
        raise gr.Error("Kies een geïndexeerd document of upload een PDF.")

    def download_folder(self) -> Path:
        """A fresh private folder for one download (names cannot collide between users)."""
        folder = self.downloads / secrets.token_hex(8)
        folder.mkdir(parents=True)
        return folder

    # -- catalog views ------------------------------------------------------------------

    def catalog_views(
        self, request: gr.Request | None = None, *, keep_choices: bool = False
    ) -> tuple[Any, ...]:
        """Updates for ``views.outputs()``, in that order. ``keep_choices``: leave what the
        user selected (a refresh because someone else changed the catalog)."""
        documents = self.engine.documents(user=self.user(request))
        organisations = sorted({d.organisation for d in documents if d.organisation})
        collections = sorted({c for d in documents for c in d.collections} | {ROOT_COLLECTION})
        document_choices = [
            (
                f"{d.title[:90]} — {kind_label(d.kind)}, {dutch_date(d.date)} ({d.file})",
                d.doc_id,
            )
            for d in documents
        ]
        views = self.views
        return (
            *(gr.Dropdown(choices=organisations) for _ in views.organisations),
            *(gr.Dropdown(choices=collections) for _ in views.collections),
            *(
                gr.Dropdown(choices=document_choices)
                if keep_choices
                else gr.Dropdown(choices=document_choices, value=None)
                for _ in views.documents
            ),
            gr.Dropdown(choices=collections),
            documents_html(documents),
            "",
        )

    def skip_views(self) -> tuple[Any, ...]:
        return tuple(gr.skip() for _ in self.views.outputs())

    # -- page preview ---------------------------------------------------------------------

    def preview(
        self, choice: str | None, items: list[dict[str, Any]] | None, request: gr.Request
    ) -> tuple[Any, Any]:
        """The selected source: its details and its page with the passage highlighted."""
        from ..render import boxes_on_page, render_page

        if not choice or not items:
            return "", None
        try:
            item = items[int(choice) - 1]
        except (ValueError, IndexError):
            return "", None
        path = self.engine.document_path(item["doc_id"], user=self.user(request))
        # (None also when the user may not see it: as if it were gone.)
        details = source_html(item)
        if path is None:
            return details + status_html(
                "Het PDF-bestand is niet meer aanwezig; voeg het opnieuw toe.", ok=False
            ), None
        try:
            png = render_page(
                path, item["page"], boxes_on_page(item["boxes"], item["page"]), dpi=PREVIEW_DPI
            )
        except RaadsinzichtError as exc:
            return details + status_html(str(exc), ok=False), None
        image = Image.open(io.BytesIO(png))
        alt = (
            f"Pagina {item['page']} van {item['title']}, met de geciteerde passage geel gemarkeerd"
        )
        return details, gr.Image(value=image, alt_text=alt)

    def wire_preview(self, choice: gr.Radio, items: Any, outputs: list[Any]) -> None:
        # .input: only the user's choice (mouse or arrow keys) renders a page.
        choice.input(
            self.preview,
            inputs=[choice, items],
            outputs=outputs,
            concurrency_limit=4,
            concurrency_id="preview",
            api_visibility="private",
        )


def page_preview(
    heading: str, *, choice_label: str, image_label: str, ids: tuple[str, str, str]
) -> tuple[gr.Radio, gr.HTML, gr.Image]:
    """The panel beside answers and search results: pick a source, see its details and
    its page with the passage highlighted (filled by ``Shell.preview``)."""
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


def filter_controls(prefix: str, *, open_: bool, views: CatalogViews) -> list[Any]:
    """Document kind, period, organisation and collection filters (labelled inputs); the
    organisation and collection choices join ``views``."""
    from ..metadata import DOCUMENT_KINDS

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
    views.organisations.append(organisations)
    views.collections.append(collections)
    return [kinds, since, until, organisations, collections]
