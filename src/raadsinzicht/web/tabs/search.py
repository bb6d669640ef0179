"""Zoeken: hybrid search with filters; the first result's page is shown at once."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ...retrieve import EMPTY_QUERY, searchable
from ..format import results_html, source_item
from ..shell import Shell, filter_controls, page_preview

__all__ = ["SearchTab"]

MAX_QUERY_CHARS = 4000  # the browser's limit; the Engine shortens longer ones itself


class SearchTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        with gr.Row():
            self.query = gr.Textbox(
                label="Zoekvraag",
                placeholder="Bijvoorbeeld: sleutelgeld studenten",
                scale=4,
                max_length=MAX_QUERY_CHARS,
                elem_id="zoekvraag",
            )
            self.top_k = gr.Slider(5, 50, value=10, step=5, label="Aantal resultaten", scale=1)
        self.button = gr.Button("Zoeken", variant="primary")
        self.filters = filter_controls("zoek", open_=True, views=shell.views)
        with gr.Row():
            with gr.Column(scale=1):
                self.results = gr.HTML("", elem_id="zoekresultaten")
            with gr.Column(scale=1):
                self.choice, self.details, self.image, self.dossier_button = page_preview(
                    "Paginavoorbeeld",
                    choice_label="Resultaat — kies er een om de pagina te zien",
                    image_label="Pagina met gemarkeerde passage",
                    ids=("resultaatkeuze", "zoek-details", "zoekpagina"),
                )
        self.items = gr.State([])

    def search(
        self,
        query: str,
        top_k: float,
        kinds: list[str] | None,
        since: str | None,
        until: str | None,
        organisations: list[str] | None,
        collections: list[str] | None,
        parties: list[str] | None,
        speakers: list[str] | None,
        submitter: str | None,
        results: list[str] | None,
        meeting: str | None,
        request: gr.Request,
    ) -> tuple[Any, ...]:
        """Results, and the choice of result with the first one selected (its page is
        rendered by the next step, so that the results appear without waiting for it)."""
        shell = self.shell
        query = (query or "").strip()
        if not searchable(query):
            gr.Warning(EMPTY_QUERY)
            return gr.skip(), gr.skip(), gr.skip()
        filters = shell.filters(
            kinds, since, until, organisations, collections,
            parties, speakers, submitter, results, meeting,
        )  # fmt: skip
        with shell.errors():
            hits = shell.engine.search(
                query, top_k=int(top_k or 10), filters=filters, user=shell.user(request)
            )
        items = [
            source_item(hit, hit.page, hit.snippet, prefix=f"{n}.")
            for n, hit in enumerate(hits, start=1)
        ]
        choices = [(item["label"], str(n)) for n, item in enumerate(items, start=1)]
        return (
            results_html(hits, hits.notes, filtered=filters.active),
            gr.Radio(choices=choices, value="1" if items else None),
            items,
        )

    def first_preview(
        self, choice: str | None, items: list[dict[str, Any]] | None, request: gr.Request
    ) -> tuple[Any, Any]:
        if not items:
            return "", None
        return self.shell.preview(choice or "1", items, request)

    def wire(self) -> None:
        inputs = [self.query, self.top_k, *self.filters]
        outputs = [self.results, self.choice, self.items]
        preview = [self.details, self.image]
        # One API endpoint ("/search") for HTTP clients: results only, no page rendering.
        for trigger, visibility in (
            (self.button.click, "public"),
            (self.query.submit, "private"),
        ):
            trigger(
                self.search,
                inputs=inputs,
                outputs=outputs,
                concurrency_limit=8,
                concurrency_id="search",
                api_name="search" if visibility == "public" else None,
                api_visibility=visibility,
            ).then(
                self.first_preview,
                inputs=[self.choice, self.items],
                outputs=preview,
                concurrency_limit=4,
                concurrency_id="preview",
                show_progress="hidden",
                api_visibility="private",
            )
        self.shell.wire_preview(self.choice, self.items, preview)
