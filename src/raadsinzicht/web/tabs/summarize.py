"""Samenvatten: a page-cited summary of one indexed document, with downloads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from ...progress import ProgressTracker
from ..format import summary_docx, summary_markdown, summary_view
from ..shell import FeedbackPanel, Shell, banner_text, document_choice

__all__ = ["SummarizeTab"]


class SummarizeTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell, model_problem: str | None) -> None:
        self.shell = shell
        self.banner = gr.Markdown(
            visible=bool(banner_text(model_problem, shell.settings.llm.provider)),
            elem_classes="ri-banner",
        )
        templates = [
            (f"{t.name} — {t.description}" if t.description else t.name, t.name)
            for t in shell.engine.prompts.list("summary")
        ]
        with gr.Row():
            self.document = document_choice("samenvatting-document", shell.views)
            self.template = gr.Dropdown(
                choices=templates,
                value="algemeen" if any(v == "algemeen" for _, v in templates) else None,
                label="Sjabloon",
                scale=2,
                elem_id="samenvatting-sjabloon",
            )
        self.button = gr.Button("Samenvatten", variant="primary")
        self.output = gr.Markdown(
            "", label="Samenvatting", latex_delimiters=[], elem_id="samenvatting"
        )
        with gr.Row():
            self.download_md = gr.DownloadButton(
                "Download als Markdown (.md)", visible=False, variant="secondary"
            )
            self.download_docx = gr.DownloadButton(
                "Download als Word (.docx)", visible=False, variant="secondary"
            )
        self.feedback = FeedbackPanel(shell, "samenvatting", "deze samenvatting")

    def summarize(
        self,
        doc_id: str | None,
        template: str | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - gradio's progress idiom
    ) -> tuple[Any, ...]:
        shell = self.shell
        if not doc_id:
            raise gr.Error("Kies eerst een document.")
        progress(0, desc="Document voorbereiden…")
        tracker = ProgressTracker()

        def report(stage: str, done: int, total: int, detail: str = "") -> None:
            # "Delen samenvatten: 2 van 5 — nog ongeveer 3 minuten"
            status = tracker.update(stage, done, total, detail)
            progress(status.fraction if total > 1 else 0.5, desc=status.describe())

        with shell.errors():
            summary = shell.engine.summarize(
                doc_id, template=template or "algemeen", user=shell.user(request), progress=report
            )
        created = datetime.now()
        stem = Path(summary.file).stem
        folder = shell.download_folder()
        markdown_path = folder / f"samenvatting-{stem}.md"
        markdown_path.write_text(summary_markdown(summary, created=created), encoding="utf-8")
        docx_path = summary_docx(summary, folder / f"samenvatting-{stem}.docx", created=created)
        return (
            summary_view(summary, doc_id),
            gr.DownloadButton(value=str(markdown_path), visible=True),
            gr.DownloadButton(value=str(docx_path), visible=True),
            summary.audit_id,
        )

    def wire(self) -> None:
        feedback = self.feedback
        self.button.click(
            lambda: (
                gr.DownloadButton(visible=False),
                gr.DownloadButton(visible=False),
                gr.Column(visible=False),
            ),
            outputs=[self.download_md, self.download_docx, feedback.box],
            show_progress="hidden",
            api_visibility="private",
        )
        feedback.follow(
            self.button.click(
                self.summarize,
                inputs=[self.document, self.template],
                outputs=[self.output, self.download_md, self.download_docx, feedback.record],
                concurrency_limit=2,
                api_name="summarize",
            )
        )
        feedback.wire()
