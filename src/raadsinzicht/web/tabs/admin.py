"""Beheer / Over: what runs (model, embedder, index, jobs) and the audit log."""

from __future__ import annotations

import gradio as gr

from ..format import AUDIT_ACTIONS, about_markdown, audit_html
from ..shell import Shell

__all__ = ["AdminTab", "banner_text"]


def banner_text(problem: str | None) -> str:
    """The banner over Vragen and Samenvatten while no language model is available."""
    if problem is None:
        return ""
    return (
        "### ⚠ Vragen stellen en samenvatten kan nu niet: het taalmodel is niet beschikbaar\n\n"
        f"{problem}\n\n"
        "Zoeken, Documenten en Beheer werken wel. Herlaad deze pagina zodra het "
        "taalmodel draait."
    )


class AdminTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.about = gr.Markdown("", elem_id="over")
        self.about_button = gr.Button("Vernieuwen", variant="secondary")
        gr.Markdown("## Auditlog\nElke vraag en samenvatting, met bronnen en model.")
        with gr.Row():
            self.action = gr.Dropdown(
                choices=[("Alle", ""), *((label, key) for key, label in AUDIT_ACTIONS.items())],
                value="",
                label="Actie",
            )
            self.by_user = gr.Textbox(label="Gebruiker", placeholder="bijv. jansen")
            self.since = gr.Textbox(label="Vanaf datum", placeholder="bijv. 2025-01-01")
            self.text = gr.Textbox(label="Zoek in vraag of antwoord")
        self.audit_button = gr.Button("Auditlog tonen", variant="primary")
        self.audit = gr.HTML("", elem_id="auditlog")

    def overview(self, problem: str | None = None, *, probe: bool = False) -> str:
        engine = self.shell.engine
        if probe:
            problem = engine.model_status()
        model = engine.llm().name if problem is None else ""
        return about_markdown(engine.settings, engine.index_status(), model=model, problem=problem)

    def refresh(self) -> str:
        return self.overview(probe=True)

    def audit_log(
        self,
        action: str | None,
        by_user: str | None,
        since: str | None,
        text: str | None,
        request: gr.Request,
    ) -> str:
        shell = self.shell
        with shell.errors():
            day = shell.filters(None, since, None, None, None).since
            records = shell.engine.audit_records(
                action=action or None,
                by_user=by_user,
                since=day,
                text=text,
                user=shell.user(request),
            )
        return audit_html(records)

    def first_audit_log(self, request: gr.Request) -> str:
        return self.audit_log(None, None, None, None, request)

    def wire(self) -> None:
        self.about_button.click(self.refresh, outputs=self.about, api_visibility="private")
        self.audit_button.click(
            self.audit_log,
            inputs=[self.action, self.by_user, self.since, self.text],
            outputs=self.audit,
            concurrency_limit=2,
            api_visibility="private",
        )
