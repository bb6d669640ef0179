"""Lakken (a section of the Documenten tab): a redacted copy for Woo publication, shown
(pages, report) before it can be downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from ...inbox import display_name, sanitize_filename
from ...privacy import ENTITY_TYPES, TYPE_LABELS
from ...redact import WOO_GROUNDS
from ..format import redaction_html, status_html
from ..shell import PREVIEW_DPI, Shell, image_file

__all__ = ["RedactSection"]

PREVIEW_PAGES = 12  # pages with redactions shown before download


def _lines(text: str | None) -> list[str]:
    """One value per line (the form's lists of terms)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RedactSection:
    """Layout (built in the constructor, inside the Documenten tab) and handlers."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        gr.Markdown(
            "## Lakken voor Woo-publicatie\n"
            "Maakt een gelakte kopie: de tekst onder elk vak wordt uit het bestand "
            "verwijderd (niet alleen afgedekt) en elk vak krijgt zijn Woo-grond. Het "
            "origineel blijft ongewijzigd. Bekijk het voorbeeld en het verslag voordat "
            "u downloadt en publiceert."
        )
        with gr.Row():
            self.document = gr.Dropdown(
                choices=[],
                label="Geïndexeerd document",
                filterable=True,
                scale=3,
                elem_id="lak-document",
            )
            self.upload = gr.File(
                label="… of een ander PDF-bestand (gaat niet in de index)",
                file_count="single",
                type="filepath",
                scale=2,
                elem_id="lak-upload",
            )
        with gr.Row():
            self.types = gr.CheckboxGroup(
                choices=[(TYPE_LABELS[t], t) for t in ENTITY_TYPES],
                value=list(ENTITY_TYPES),
                label="Wat lakken",
                scale=3,
                elem_id="lak-soorten",
            )
            self.ground = gr.Dropdown(
                choices=[
                    (
                        f"Automatisch: BSN 5.1.1e, de rest {shell.settings.privacy.woo_ground}",
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
            self.terms = gr.Textbox(
                label="Ook lakken (één per regel)", lines=2, elem_id="lak-extra"
            )
            self.keep = gr.Textbox(
                label="Nooit lakken (één per regel), bijvoorbeeld namen van bestuurders",
                lines=2,
                elem_id="lak-behouden",
            )
        self.button = gr.Button("Lakken en voorbeeld tonen", variant="primary")
        self.status = gr.HTML("", elem_id="lak-status")
        self.gallery = gr.Gallery(
            label="Voorbeeld: pagina's met lakkingen",
            visible=False,
            columns=3,
            height="auto",
            format="jpeg",
            elem_id="lak-voorbeeld",
        )
        self.report = gr.HTML("", elem_id="lak-verslag")
        with gr.Row():
            self.pdf_download = gr.DownloadButton(
                "Download gelakte PDF", visible=False, variant="primary"
            )
            self.csv_download = gr.DownloadButton(
                "Download lakverslag (.csv)", visible=False, variant="secondary"
            )
        shell.views.documents.append(self.document)

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
        shell = self.shell
        user = shell.user(request)
        source = shell.pdf_input(doc_id, upload, user)
        if not types:
            raise gr.Error("Kies ten minste één soort persoonsgegevens om te lakken.")
        stem = Path(sanitize_filename(source.name) or "document.pdf").stem
        folder = shell.download_folder()
        output = folder / f"{stem}-gelakt.pdf"
        progress(0.1, desc="Persoonsgegevens zoeken en lakken…")
        with shell.errors():
            report = shell.engine.redact(
                source,
                output,
                types=types,
                ground=ground or None,
                terms=_lines(terms),
                keep=_lines(keep),
                user=user,
            )
        progress(0.8, desc="Voorbeeld maken…")
        csv_path = folder / f"{stem}-lakverslag.csv"
        report.write_csv(csv_path)
        per_page = report.per_page()
        shown = sorted(per_page)[:PREVIEW_PAGES] or [1]
        gallery = []
        for number in shown:
            image = shell.engine.render_page(output, number, dpi=PREVIEW_DPI)
            caption = f"Pagina {number}: {per_page.get(number, 0)} gelakt"
            gallery.append((image_file(image), caption))
        status = status_html(
            f"{display_name(source.name)}: {len(report.redactions)} gelakt op {len(per_page)} "
            f"van {report.pages} pagina's. Bekijk het voorbeeld en het verslag; download daarna."
        )
        if len(per_page) > len(shown):
            status += status_html(
                f"Het voorbeeld toont de eerste {len(shown)} pagina's met lakkingen; "
                "controleer de rest in de PDF.",
                ok=False,
            )
        status += "".join(status_html(f"Let op: {w}", ok=False) for w in report.warnings)
        return (
            status,
            gr.Gallery(value=gallery, visible=True),
            redaction_html(report),
            gr.DownloadButton(value=str(output), visible=True),
            gr.DownloadButton(value=str(csv_path), visible=True),
        )

    @staticmethod
    def hide_previous() -> tuple[Any, ...]:
        return (
            "",
            gr.Gallery(value=None, visible=False),
            "",
            gr.DownloadButton(visible=False),
            gr.DownloadButton(visible=False),
        )

    def wire(self) -> None:
        outputs = [self.status, self.gallery, self.report, self.pdf_download, self.csv_download]
        # Hide the previous result first: no download of a file that was not previewed.
        self.button.click(
            self.hide_previous, outputs=outputs, show_progress="hidden", api_visibility="private"
        ).then(
            self.redact,
            inputs=[self.document, self.upload, self.types, self.ground, self.terms, self.keep],
            outputs=outputs,
            concurrency_id="privacy",
            concurrency_limit=2,
            api_name="redact",
        )
