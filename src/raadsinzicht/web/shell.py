"""What the tabs share: the Engine, the translation of Gradio's inputs (the user of a
request, filters) and errors, the page preview beside answers and search results, the
filter controls, and the views that list the catalog's documents."""

from __future__ import annotations

import html
import logging
import os
import secrets
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from gradio import processing_utils
from gradio.utils import get_upload_folder

from ..engine import Engine, search_filters
from ..errors import RaadsinzichtError
from ..inbox import ROOT_COLLECTION, display_name, pdf_problem
from ..retrieve import SearchFilters
from ..speakers import speaker_label
from .format import (
    documents_html,
    dutch_date,
    kind_label,
    source_html,
    status_html,
)

__all__ = [
    "CatalogViews",
    "FeedbackPanel",
    "Shell",
    "banner_text",
    "document_choice",
    "filter_controls",
    "page_preview",
]

PREVIEW_DPI = 110
PREVIEW_ALT_TEXT = (
    "De pagina van de gekozen bron, met de geciteerde passage geel gemarkeerd "
    "(document en paginanummer staan erboven)"
)
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
    parties: list[Any] = field(default_factory=list)  # of speakers in the minutes
    speakers: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)  # dropdowns of documents
    upload_collection: Any = None
    table: Any = None
    table_filter: Any = None

    def outputs(self) -> list[Any]:
        return [
            *self.organisations,
            *self.collections,
            *self.parties,
            *self.speakers,
            *self.documents,
            self.upload_collection,
            self.table,
            self.table_filter,
        ]


# The prefix of a server's temporary folders in the system's temp directory.
FOLDER_PREFIX = "raadsinzicht-web-"


def new_private_folder() -> Path:
    """An owner-only temporary folder named by this process, so that a later server
    removes it when this process was killed (``app._remove_stale_folders``)."""
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))


class Shell:
    """The web app's handle on the Engine, shared by every tab's handlers."""

    def __init__(self, engine: Engine, downloads: Path | None = None) -> None:
        self.engine = engine
        self.settings = engine.settings
        # Private (0700): downloads may hold personal data (a revealed intake).
        if downloads is None:
            # A folder of its own goes with the shell (tests, an app built by hand).
            downloads = new_private_folder()
            weakref.finalize(self, shutil.rmtree, downloads, ignore_errors=True)
        self.downloads = downloads
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
        parties: list[str] | None = None,
        speakers: list[str] | None = None,
        submitter: str | None = None,
        results: list[str] | None = None,
        meeting: str | None = None,
    ) -> SearchFilters:
        """The filter panel's values (``filter_controls``, in that order) as filters."""
        with self.errors():
            return search_filters(
                kinds=kinds,
                since=since,
                until=until,
                organisations=organisations,
                collections=collections,
                parties=parties,
                speakers=speakers,
                submitters=[submitter.strip()] if submitter and submitter.strip() else None,
                results=results,
                meetings=[meeting.strip()] if meeting and meeting.strip() else None,
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
        user = self.user(request)
        documents = self.engine.documents(user=user)
        speakers = self.engine.speakers(user=user)
        parties = sorted({s.party for s in speakers if s.party}, key=str.lower)
        speaker_choices = [
            (speaker_label(s.name, s.role, s.party), s.name) for s in speakers if s.name
        ]
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
            *(gr.Dropdown(choices=parties) for _ in views.parties),
            *(gr.Dropdown(choices=speaker_choices) for _ in views.speakers),
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
        from ..render import boxes_on_page

        if not choice or not items:
            return "", None
        try:
            item = items[int(choice) - 1]
        except (ValueError, IndexError):
            return "", None
        details = source_html(item)
        try:
            image = self.engine.page_image(
                item["doc_id"],
                item["page"],
                boxes_on_page(item["boxes"], item["page"]),
                user=self.user(request),
                dpi=PREVIEW_DPI,
            )
        except RaadsinzichtError as exc:
            return details + status_html(str(exc), ok=False), None
        # (None also when the user may not see it: as if it were gone.)
        if image is None:
            return details + status_html(
                "Het PDF-bestand is niet meer aanwezig; voeg het opnieuw toe.", ok=False
            ), None
        # The image's value only: an update (e.g. of its alt text) makes Gradio build a
        # new component and derive its JSON schema with pydantic three times, 6 % of the
        # app's GIL time with 20 users (py-spy). The details above it name the page.
        return details, image_file(image)

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


def banner_text(problem: str | None, provider: str) -> str:
    """The banner over Vragen and Samenvatten while the configured language model is not
    available (none when answers are meant to come from the sources: ``extractive``)."""
    if problem is None or provider == "extractive":
        return ""
    # With ``auto`` (the default) no model is what a new install has, not a fault: say
    # what answers are now and how to add a model. A model configured by name that does
    # not answer is a fault.
    heading = (
        "### Antwoorden en samenvattingen komen uit de bronnen: er is geen taalmodel"
        if provider == "auto"
        else "### ⚠ Het taalmodel is niet beschikbaar: antwoorden en samenvattingen komen nu "
        "alleen uit de bronnen"
    )
    return (
        f"{heading}\n\n"
        f"{problem}\n\n"
        "Vragen stellen werkt wel: u krijgt de zinnen uit de documenten die de vraag "
        "beantwoorden, met bronvermelding; samenvattingen halen per soort document de "
        "kern uit de tekst. Zoeken, Documenten en Beheer werken gewoon. Herlaad deze "
        "pagina zodra het taalmodel draait."
    )


def image_file(jpeg: bytes) -> str:
    """A page as ``Engine.render_page`` renders it (JPEG) as a file in Gradio's cache, where
    Gradio serves it as it is (the value for an image or gallery output): a PIL image would
    be decoded here and encoded again by Gradio (40 of the 80 ms CPU of a preview, measured
    on the corpus, all of it holding the GIL that every search needs). The same
    content-addressed folders Gradio uses, so its cache clean-up covers them."""
    return processing_utils.save_bytes_to_cache(jpeg, "pagina.jpg", get_upload_folder())


def page_preview(
    heading: str, *, choice_label: str, image_label: str, ids: tuple[str, str, str]
) -> tuple[gr.Radio, gr.HTML, gr.Image, gr.Button]:
    """The panel beside answers and search results: pick a source, see its details and
    its page with the passage highlighted (filled by ``Shell.preview``), and open the
    dossier of its document (the button; wired by the Dossier tab)."""
    gr.Markdown(f"## {heading}")
    choice = gr.Radio(choices=[], label=choice_label, elem_id=ids[0])
    details = gr.HTML("", elem_id=ids[1])
    dossier = gr.Button(
        "Dossier van dit document", variant="secondary", size="sm", elem_id=f"{ids[0]}-dossier"
    )
    image = gr.Image(
        label=image_label,
        alt_text=PREVIEW_ALT_TEXT,
        interactive=False,
        format="jpeg",
        buttons=["fullscreen", "download"],
        elem_id=ids[2],
    )
    return choice, details, image, dossier


def document_choice(elem_id: str, views: CatalogViews) -> gr.Dropdown:
    """A dropdown of the indexed documents the user may see, searchable by typing; its
    choices join ``views``."""
    dropdown = gr.Dropdown(
        choices=[],
        label="Document",
        info="Typ om te zoeken op titel of bestandsnaam",
        filterable=True,
        scale=3,
        elem_id=elem_id,
    )
    views.documents.append(dropdown)
    return dropdown


def filter_controls(prefix: str, *, open_: bool, views: CatalogViews) -> list[Any]:
    """Document kind, period, organisation and collection filters, and the council's:
    party, speaker, submitter, outcome and meeting (labelled inputs, in the order of
    ``Shell.filters``); the choices of organisations, collections, parties and speakers
    join ``views``."""
    from ..engine import VOTE_RESULTS
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
        with gr.Row():
            parties = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                allow_custom_value=True,
                label="Partij",
                info="Wat haar leden zeiden en wat zij indiende",
                elem_id=f"{prefix}-partij",
            )
            speakers = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                allow_custom_value=True,
                label="Spreker",
                info="In notulen en verslagen",
                elem_id=f"{prefix}-spreker",
            )
            submitter = gr.Textbox(
                label="Indiener",
                placeholder="van een motie of amendement",
                elem_id=f"{prefix}-indiener",
            )
            results = gr.Dropdown(
                choices=list(VOTE_RESULTS),
                value=[],
                multiselect=True,
                label="Uitslag",
                info="Van moties en amendementen",
                elem_id=f"{prefix}-uitslag",
            )
            meeting = gr.Textbox(
                label="Vergadering",
                placeholder="datum of RIS-nummer",
                elem_id=f"{prefix}-vergadering",
            )
    views.organisations.append(organisations)
    views.collections.append(collections)
    views.parties.append(parties)
    views.speakers.append(speakers)
    return [
        kinds, since, until, organisations, collections,
        parties, speakers, submitter, results, meeting,
    ]  # fmt: skip


class FeedbackPanel:
    """A thumb up or down with an optional comment under an answer, summary or intake,
    stored next to its audit record (``Engine.feedback``). Hidden until a result with an
    audit record is shown (``show``), and for the next result again."""

    def __init__(self, shell: Shell, prefix: str, what: str) -> None:
        from ..engine import MAX_COMMENT

        self.shell = shell
        with gr.Column(visible=False, elem_id=f"{prefix}-beoordeling") as self.box:
            self.verdict = gr.Radio(
                # Words, not emoji: not every workplace has an emoji font.
                choices=[("Duim omhoog: bruikbaar", "up"), ("Duim omlaag: niet bruikbaar", "down")],
                value=None,
                label=f"Was {what} bruikbaar?",
                elem_id=f"{prefix}-oordeel",
            )
            self.comment = gr.Textbox(
                label="Toelichting (optioneel)",
                placeholder="Wat klopte er niet, wat miste u?",
                lines=2,
                max_length=MAX_COMMENT,
                elem_id=f"{prefix}-toelichting",
            )
            self.send = gr.Button("Beoordeling versturen", variant="secondary")
            self.status = gr.HTML("", elem_id=f"{prefix}-beoordeling-status")
        self.record = gr.State(None)  # the audit record id of the result shown

    def outputs(self) -> list[Any]:
        return [self.box, self.verdict, self.comment, self.status]

    @staticmethod
    def show(record_id: int | None) -> tuple[Any, ...]:
        """A fresh panel for the result just shown (hidden when it has no audit record)."""
        return gr.Column(visible=record_id is not None), None, "", ""

    def submit(
        self, record_id: int | None, verdict: str | None, comment: str | None, request: gr.Request
    ) -> str:
        if record_id is None:
            raise gr.Error("Er is nog niets om te beoordelen.")
        if verdict not in ("up", "down"):
            raise gr.Error("Kies eerst duim omhoog of duim omlaag.")
        shell = self.shell
        with shell.errors():
            shell.engine.feedback(
                int(record_id), verdict, comment=comment, user=shell.user(request)
            )
        return status_html("Dank u wel: uw beoordeling is opgeslagen.")

    def wire(self) -> None:
        self.send.click(
            self.submit,
            inputs=[self.record, self.verdict, self.comment],
            outputs=self.status,
            api_visibility="private",
        )

    @staticmethod
    def hide() -> Any:
        return gr.Column(visible=False)

    def follow(self, event: Any) -> None:
        """Show a fresh panel after ``event`` (the listener that sets ``record``)."""
        event.then(
            self.show,
            inputs=self.record,
            outputs=self.outputs(),
            show_progress="hidden",
            api_visibility="private",
        )
