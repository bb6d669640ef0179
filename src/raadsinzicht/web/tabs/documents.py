"""Documenten: add PDFs, follow and cancel indexing jobs, list, remove and re-index.

Uploads, removals and re-indexes are background jobs of the Engine: the buttons return at
once, a timer shows the jobs' progress, and the views that list documents refresh when
the catalog changed (for every open page, whoever changed it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from ...ingest import ROOT_COLLECTION
from ...jobs import Job
from ..format import documents_html, job_status_html, jobs_html, status_html
from ..shell import Shell

__all__ = ["DocumentsTab"]

POLL_SECONDS = 2.0
JOBS_SHOWN = 10


class DocumentsTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers. The Lakken
    section of this tab lives in ``redact.py``."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        limit = shell.settings.web.max_upload_mb
        # Adding, removing and re-indexing are an admin's (the Engine refuses others).
        # Without roles everyone is one; with roles they show on page load for admins.
        everyone = not shell.engine.access.roles_enabled
        with gr.Column(visible=everyone) as self.upload_section:
            gr.Markdown(
                "## PDF's toevoegen\n"
                f"Alleen PDF-bestanden, maximaal {limit} MB per bestand. Ze worden op de "
                "achtergrond geïndexeerd (gescande stukken met OCR duren langer); u kunt "
                "intussen gewoon verder zoeken. Een bestand dat niet lukt, houdt de andere "
                "niet tegen."
            )
            with gr.Row():
                self.files = gr.File(
                    label="PDF-bestanden (sleep ze hierheen of klik om te kiezen)",
                    file_count="multiple",
                    type="filepath",
                    scale=3,
                    elem_id="upload",
                )
                with gr.Column(scale=2):
                    self.collection = gr.Dropdown(
                        choices=[ROOT_COLLECTION],
                        value=ROOT_COLLECTION,
                        allow_custom_value=True,
                        label="Collectie",
                        info="Kies een bestaande collectie of typ een nieuwe naam",
                        elem_id="upload-collectie",
                    )
                    self.upload_button = gr.Button("Uploaden en indexeren", variant="primary")
            self.upload_status = gr.HTML("", elem_id="upload-status")
        gr.Markdown("## Indexeertaken")
        self.jobs = gr.HTML("", elem_id="taken")
        with gr.Row():
            self.job_choice = gr.Dropdown(
                choices=[],
                label="Taak",
                info="Een lopende taak annuleren, of een onderbroken taak hervatten",
                scale=3,
                elem_id="taak-keuze",
            )
            with gr.Column(scale=1):
                self.cancel_button = gr.Button("Taak annuleren", variant="stop")
                self.resume_button = gr.Button("Taak hervatten", variant="secondary")
        self.job_status = gr.HTML("", elem_id="taak-status")
        gr.Markdown("## Geïndexeerde documenten")
        self.table_filter = gr.Textbox(
            label="Zoek in de lijst",
            placeholder="Titel, soort, organisatie, collectie of bestandsnaam",
            elem_id="documenten-filter",
        )
        self.table = gr.HTML("", elem_id="documenten")
        with gr.Column(visible=everyone) as self.manage_section, gr.Row():
            self.remove_choice = gr.Dropdown(
                choices=[],
                label="Document verwijderen",
                filterable=True,
                scale=3,
                info="Haalt het document uit de index en het bestand uit de invoermap",
                elem_id="verwijder-document",
            )
            with gr.Column(scale=1):
                self.remove_button = gr.Button("Verwijderen", variant="stop")
                self.reindex_button = gr.Button("Invoermap opnieuw indexeren")
        self.manage_status = gr.HTML("", elem_id="beheer-status")
        # This page's own jobs: {"upload": id, "refused": [[name, reason]], "manage": id}
        self.mine = gr.State({})
        # What the page shows: {"generation": of the catalog views, "shown": {part: html}}
        self.seen = gr.State({})
        self.timer = gr.Timer(POLL_SECONDS)
        views = shell.views
        views.documents.append(self.remove_choice)
        views.upload_collection = self.collection
        views.table = self.table
        views.table_filter = self.table_filter

    # -- handlers ---------------------------------------------------------------------------

    def admin_sections(self, request: gr.Request | None) -> tuple[Any, Any]:
        """Updates for ``admin_outputs()``: visible for admins only."""
        shown = self.shell.engine.access.is_admin(self.shell.user(request))
        return gr.Column(visible=shown), gr.Column(visible=shown)

    def admin_outputs(self) -> list[Any]:
        return [self.upload_section, self.manage_section]

    def upload(
        self,
        files: list[str] | None,
        collection: str | None,
        mine: dict[str, Any],
        request: gr.Request,
    ) -> tuple[Any, ...]:
        if not files:
            gr.Warning("Kies eerst één of meer PDF-bestanden.")
            return gr.skip(), gr.skip(), gr.skip()
        shell = self.shell
        with shell.errors():
            receipt = shell.engine.upload(
                [(Path(f), Path(f).name) for f in files], collection, user=shell.user(request)
            )
        refused = [[e.name, e.problem or ""] for e in receipt.entries if e.target is None]
        mine = {**mine, "upload": receipt.job.id if receipt.job else None, "refused": refused}
        return job_status_html(receipt.job, refused), gr.File(value=None), mine

    def remove(
        self, doc_id: str | None, mine: dict[str, Any], request: gr.Request
    ) -> tuple[Any, Any]:
        if not doc_id:
            gr.Warning("Kies eerst het document dat u wilt verwijderen.")
            return gr.skip(), gr.skip()
        shell = self.shell
        with shell.errors():
            job = shell.engine.remove_in_background(doc_id, user=shell.user(request))
        return job_status_html(job), {**mine, "manage": job.id}

    def reindex(self, mine: dict[str, Any], request: gr.Request) -> tuple[Any, Any]:
        shell = self.shell
        with shell.errors():
            job = shell.engine.reindex_in_background(user=shell.user(request))
        return job_status_html(job), {**mine, "manage": job.id}

    def cancel(self, job_id: str | None, request: gr.Request) -> str:
        if not job_id:
            raise gr.Error("Kies eerst een taak.")
        shell = self.shell
        with shell.errors():
            job = shell.engine.cancel_job(int(job_id), user=shell.user(request))
        return status_html(f"Taak {job.id}: {job.status_label}.")

    def resume(self, job_id: str | None, request: gr.Request) -> str:
        if not job_id:
            raise gr.Error("Kies eerst een taak.")
        shell = self.shell
        with shell.errors():
            job = shell.engine.resume_job(int(job_id), user=shell.user(request))
        return status_html(f"Taak {job.id} gestart: {job.description}")

    def poll(
        self, mine: dict[str, Any], seen: dict[str, Any], request: gr.Request
    ) -> tuple[Any, ...]:
        """Every few seconds: jobs and this page's job statuses; the document views when
        the catalog changed. Unchanged parts are skipped (nothing is sent)."""
        engine = self.shell.engine
        jobs = engine.list_jobs(user=self.shell.user(request), limit=JOBS_SHOWN)
        by_id = {job.id: job for job in jobs}

        def own(key: str) -> Job | None:
            job_id = mine.get(key)
            return None if job_id is None else by_id.get(job_id) or engine.jobs.get(job_id)

        shown = {
            "jobs": jobs_html(jobs),
            "choices": [
                (f"{job.id}: {job.description[:80]} ({job.status_label})", str(job.id))
                for job in jobs
                if job.active or job.status in ("interrupted", "failed", "cancelled")
            ],
            "upload": job_status_html(own("upload"), mine.get("refused", []))
            if "upload" in mine
            else None,
            "manage": job_status_html(own("manage")) if "manage" in mine else None,
        }
        before = seen.get("shown", {})
        generation = engine.catalog.generation
        changed = seen.get("generation") not in (None, generation)

        def update(key: str, make: Any) -> Any:
            value = shown[key]
            return gr.skip() if value is None or value == before.get(key) else make(value)

        return (
            update("jobs", lambda v: v),
            update("choices", lambda v: gr.Dropdown(choices=v)),
            update("upload", lambda v: v),
            update("manage", lambda v: v),
            {"generation": generation, "shown": shown},
            *(
                self.shell.catalog_views(request, keep_choices=True)
                if changed
                else self.shell.skip_views()
            ),
        )

    def filter_table(self, text: str | None, request: gr.Request) -> str:
        documents = self.shell.engine.documents(user=self.shell.user(request))
        return documents_html(documents, text)

    def wire(self) -> None:
        views = self.shell.views.outputs()
        self.upload_button.click(
            self.upload,
            inputs=[self.files, self.collection, self.mine],
            outputs=[self.upload_status, self.files, self.mine],
            api_name="upload",
        )
        self.remove_button.click(
            self.remove,
            inputs=[self.remove_choice, self.mine],
            outputs=[self.manage_status, self.mine],
            api_visibility="private",
        )
        self.reindex_button.click(
            self.reindex,
            inputs=[self.mine],
            outputs=[self.manage_status, self.mine],
            api_visibility="private",
        )
        self.cancel_button.click(
            self.cancel,
            inputs=[self.job_choice],
            outputs=[self.job_status],
            api_visibility="private",
        )
        self.resume_button.click(
            self.resume,
            inputs=[self.job_choice],
            outputs=[self.job_status],
            api_visibility="private",
        )
        self.timer.tick(
            self.poll,
            inputs=[self.mine, self.seen],
            outputs=[
                self.jobs,
                self.job_choice,
                self.upload_status,
                self.manage_status,
                self.seen,
                *views,
            ],
            show_progress="hidden",
            concurrency_limit=None,
            api_visibility="private",
        )
        self.table_filter.input(
            self.filter_table,
            inputs=self.table_filter,
            outputs=self.table,
            show_progress="hidden",
            concurrency_limit=None,
            api_visibility="private",
        )
