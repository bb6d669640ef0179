"""Bezwaar: the concept intake of an objection letter, pseudonymised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr

from ...inbox import sanitize_filename
from ..shell import FeedbackPanel, Shell

__all__ = ["BezwaarTab"]


class BezwaarTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell, model_problem: str | None) -> None:
        self.shell = shell
        gr.Markdown(
            "## Intake van een bezwaarschrift\n"
            "Een concept voor de jurist: indiener, bestreden besluit, datums, "
            "termijn (art. 6:7 en 6:8 Awb), gronden en verzoek, elk met de pagina "
            "waar het staat. Persoonsgegevens worden vervangen door [PERSOON-1], "
            "[ADRES-1] … voordat iets naar het taalmodel gaat. Datums en de "
            "termijn komen uit vaste regels, niet uit het taalmodel."
        )
        with gr.Row():
            self.upload = gr.File(
                label="Bezwaarschrift (PDF)",
                file_count="single",
                type="filepath",
                scale=3,
                elem_id="bezwaar-upload",
            )
            with gr.Column(scale=2):
                self.use_llm = gr.Checkbox(
                    value=model_problem is None,
                    label="Gronden en verzoek laten herformuleren door het taalmodel",
                    elem_id="bezwaar-model",
                )
                self.reveal = gr.Checkbox(
                    value=False,
                    label="Originele persoonsgegevens tonen (alleen bevoegde gebruikers)",
                    visible=bool(shell.settings.privacy.reveal_users),
                    elem_id="bezwaar-tonen",
                )
                self.button = gr.Button("Intake maken", variant="primary")
        self.output = gr.Markdown("", latex_delimiters=[], elem_id="bezwaar-intake")
        self.download = gr.DownloadButton(
            "Download intake (.json)", visible=False, variant="secondary"
        )
        self.feedback = FeedbackPanel(shell, "intake", "deze intake")

    def intake(
        self,
        upload: str | None,
        use_llm: bool,
        reveal: bool,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, Any, Any]:
        """Concept intake of an uploaded objection letter; pseudonymised unless an
        authorised user asks to see the original values (locally, audited)."""
        from ...bezwaar import intake_markdown

        shell = self.shell
        if not upload:
            raise gr.Error("Upload eerst een bezwaarschrift (PDF).")
        user = shell.user(request)
        source = shell.pdf_input(None, upload, user)
        progress(0.1, desc="Bezwaarschrift lezen…")
        with shell.errors():
            data = shell.engine.bezwaar(source, use_llm=use_llm, user=user).to_dict()
            if reveal:
                data = shell.engine.reveal_data(data, user=user)
        stem = Path(sanitize_filename(source.name) or "bezwaar.pdf").stem
        json_path = shell.download_folder() / f"intake-{stem}.json"
        json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return (
            intake_markdown(data),
            gr.DownloadButton(value=str(json_path), visible=True),
            data.get("audit_id"),
        )

    def wire(self) -> None:
        feedback = self.feedback
        feedback.follow(
            self.button.click(
                lambda: ("", gr.DownloadButton(visible=False), None),
                outputs=[self.output, self.download, feedback.record],
                show_progress="hidden",
                api_visibility="private",
            ).then(
                self.intake,
                inputs=[self.upload, self.use_llm, self.reveal],
                outputs=[self.output, self.download, feedback.record],
                concurrency_id="privacy",
                concurrency_limit=2,
                api_name="bezwaar",
            )
        )
        feedback.wire()
