"""Dossier: the documents about one matter over time (raadsvoorstel, amendments and motions
with their outcome, besluitenlijst, notulen, later letters), as a timeline of cards; for
an indexed document or a search, and from a search hit or a source (``open_from``)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..format import dossier_html, votes_html
from ..shell import Shell, document_choice

__all__ = ["DossierTab"]

TAB_ID = "dossier"
VOTES_SHOWN = 5


class DossierTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        gr.Markdown(
            "## Dossier\n"
            "Alle stukken over hetzelfde onderwerp op volgorde van datum: voorstel, "
            "amendementen en moties met hun uitslag, besluitenlijst, notulen en latere "
            "brieven. Bij elk stuk staat waarom het erbij hoort."
        )
        with gr.Row():
            self.document = document_choice("dossier-document", shell.views)
            self.query = gr.Textbox(
                label="… of een zoekvraag",
                placeholder="bijv. sleutelgeld studenten",
                scale=2,
                elem_id="dossier-zoekvraag",
            )
        self.button = gr.Button("Dossier tonen", variant="primary")
        self.output = gr.HTML("", elem_id="dossier")
        gr.Markdown("## Stemmingen")
        self.votes = gr.HTML("", elem_id="dossier-stemmingen")

    def show(self, doc_id: str | None, query: str | None, request: gr.Request) -> tuple[str, str]:
        """The dossier of the chosen document, or else of the best hit for the query; and
        the votes on its subject (motions and amendments, outcome, per party)."""
        subject = doc_id or (query or "").strip()
        if not subject:
            raise gr.Error("Kies een document of typ een zoekvraag.")
        shell = self.shell
        user = shell.user(request)
        with shell.errors():
            dossier = shell.engine.dossier(subject, user=user)
            start = dossier.start
            about = start.title if start and doc_id else subject
            facts = shell.engine.vote_facts(about, limit=VOTES_SHOWN, user=user)
        doc_ids = {entry.file: entry.doc_id for entry in shell.engine.documents(user=user)}
        return dossier_html(dossier, subject=about), votes_html(facts, doc_ids)

    def open_from(
        self, choice: str | None, items: list[dict[str, Any]] | None, request: gr.Request
    ) -> tuple[Any, ...]:
        """From the selected search hit or source: this tab, with its document's dossier."""
        if not choice or not items:
            raise gr.Error("Kies eerst een resultaat of bron.")
        try:
            doc_id = items[int(choice) - 1]["doc_id"]
        except (ValueError, IndexError, KeyError) as exc:
            raise gr.Error("Kies eerst een resultaat of bron.") from exc
        return gr.Tabs(selected=TAB_ID), doc_id, "", *self.show(doc_id, None, request)

    def wire(self) -> None:
        for trigger in (self.button.click, self.query.submit):
            trigger(
                self.show,
                inputs=[self.document, self.query],
                outputs=[self.output, self.votes],
                concurrency_limit=4,
                api_visibility="private",
            )

    def wire_opener(self, button: gr.Button, choice: Any, items: Any, tabs: gr.Tabs) -> None:
        """``button`` beside a page preview opens the dossier of the selected item."""
        button.click(
            self.open_from,
            inputs=[choice, items],
            outputs=[tabs, self.document, self.query, self.output, self.votes],
            concurrency_limit=4,
            api_visibility="private",
        )
