"""Vragen: a conversation with cited answers and the cited pages beside it. The answer
from the sources (extractive: the direct answer and the verbatim sentences) shows at once;
a language model's answer, when one is configured, streams under it with a status line
(model, prompt tokens, tokens/s); choosing a source shows its page with the quoted
sentence highlighted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from ...answer import Answer, Citation, GenerationStatus
from ...errors import RaadsinzichtError
from ...extractive import ExtractiveAnswer
from ...privacy import PLACEHOLDER
from ...retrieve import EMPTY_QUESTION, searchable
from ..format import (
    answer_markdown,
    extractive_markdown,
    markdown_text,
    model_failed_markdown,
    notice_html,
    source_item,
    streaming_markdown,
)
from ..shell import FeedbackPanel, Shell, banner_text, filter_controls, page_preview

__all__ = ["AskTab", "answer_sources"]

MAX_QUESTION_CHARS = 4000  # the browser's limit; the Engine shortens longer ones itself


def answer_sources(answer: Answer | ExtractiveAnswer) -> list[dict[str, Any]]:
    """The quoted and cited passages for the page preview, each with the cited sentence's
    own boxes when known; for a refusal, the closest passages."""
    extractive = answer if isinstance(answer, ExtractiveAnswer) else answer.extractive
    sources = answer.sources
    refused = extractive.refused if extractive is not None else answer.refused
    if refused:
        return [source_item(hit, hit.page, hit.snippet, prefix="•") for hit in sources[:5]]
    citations = [Citation.from_quote(q) for q in extractive.quotes] if extractive else []
    if isinstance(answer, Answer) and answer.generated and not answer.refused:
        citations += answer.citations
    # One source per passage and page, highlighting each sentence quoted from it there.
    merged: dict[tuple[int, int], list[Citation]] = {}
    for citation in citations:
        if 1 <= citation.n <= len(sources):
            merged.setdefault((citation.n, citation.page), []).append(citation)
    items: list[dict[str, Any]] = []
    for (n, page), cited in merged.items():
        quotes = list(dict.fromkeys(c.quote for c in cited))
        boxes = list(dict.fromkeys(box for c in cited for box in c.boxes))
        items.append(
            source_item(sources[n - 1], page, " … ".join(quotes), prefix=f"[{n}]", boxes=boxes)
        )
    return items


def _sources_radio(items: list[dict[str, Any]], *, refused: bool, keep_choice: bool) -> Any:
    """The sources list's update: its choices and label, with the first source chosen
    (its page is shown with the answer, as in Zoeken; none for a refusal: the closest
    sources answer nothing), or with ``keep_choice`` the value not sent, so that the user's
    choice stands."""
    label = (
        "Dichtstbijzijnde bronnen (geen antwoord gevonden) — kies er een om de pagina te zien"
        if refused
        else "Geciteerde bronnen — kies er een om de pagina te zien"
    )
    choices = [(item["label"], str(number)) for number, item in enumerate(items, start=1)]
    if keep_choice:
        return gr.Radio(choices=choices, label=label)
    return gr.Radio(choices=choices, value="1" if items and not refused else None, label=label)


def _sources_update(items: list[dict[str, Any]], *, refused: bool) -> tuple[Any, ...]:
    """Updates of (sources, items, details, image) for a new list of sources."""
    return (
        _sources_radio(items, refused=refused, keep_choice=False),
        items,
        "" if items else notice_html("Geen bronnen bij dit antwoord.", css="ri-muted"),
        None,
    )


class AskTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell, model_problem: str | None) -> None:
        self.shell = shell
        self.banner = gr.Markdown(
            visible=bool(banner_text(model_problem, shell.settings.llm.provider)),
            elem_classes="ri-banner",
            elem_id="llm-banner",
        )
        with gr.Row():
            with gr.Column(scale=1):
                self.chat = gr.Chatbot(
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
                    # No HTML from model or document text: it is escaped before it
                    # gets here (format.markdown_text), and no custom tags either.
                    sanitize_html=True,
                    allow_tags=False,
                )
                self.question = gr.Textbox(
                    label="Uw vraag",
                    placeholder="Bijvoorbeeld: Welke moties over huisvesting zijn aangenomen?",
                    lines=1,
                    max_lines=5,
                    max_length=MAX_QUESTION_CHARS,
                    elem_id="vraag",
                )
                with gr.Row():
                    self.ask_button = gr.Button("Vraag stellen", variant="primary")
                    self.clear_button = gr.Button("Nieuw gesprek", variant="secondary")
                self.feedback = FeedbackPanel(shell, "antwoord", "dit antwoord")
                self.reveal = gr.Checkbox(
                    value=False,
                    label="Originele persoonsgegevens tonen in antwoorden (alleen bevoegde "
                    "gebruikers)",
                    visible=bool(shell.settings.privacy.reveal_users),
                    elem_id="antwoord-tonen",
                )
                self.filters = filter_controls("vraag", open_=False, views=shell.views)
            with gr.Column(scale=1):
                self.sources, self.details, self.image, self.dossier_button = page_preview(
                    "Bronnen",
                    choice_label="Geciteerde bronnen — kies er een om de pagina te zien",
                    image_label="Bronpagina met gemarkeerde passage",
                    ids=("bronnen", "bron-details", "bronpagina"),
                )
        self.items = gr.State([])

    def ask(
        self,
        question: str,
        history: list[dict[str, Any]] | None,
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
        reveal: bool,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        shell, engine = self.shell, self.shell.engine
        user = shell.user(request)
        history = list(history or [])
        question = (question or "").strip()
        unchanged = (gr.skip(),) * 6
        if not searchable(question):
            gr.Warning(EMPTY_QUESTION)
            yield history, *unchanged
            return
        filters = shell.filters(
            kinds, since, until, organisations, collections,
            parties, speakers, submitter, results, meeting,
        )  # fmt: skip
        note = engine.query_note(question)
        if note:
            gr.Warning(note)
        history.append({"role": "user", "content": markdown_text(question)})
        history.append({"role": "assistant", "content": "*Bezig met zoeken in de documenten…*"})
        yield history, "", gr.Radio(choices=[], value=None), [], "", None, None
        answer: Answer | None = None
        extractive: ExtractiveAnswer | None = None
        status: GenerationStatus | None = None
        pieces: list[str] = []
        shown_items: list[dict[str, Any]] | None = None
        try:
            for event in engine.stream_answer(question, filters=filters, user=user):
                if isinstance(event, Answer):
                    answer = event
                    continue
                if isinstance(event, ExtractiveAnswer):  # at once, before any model
                    extractive = event
                    shown_items = answer_sources(extractive)
                    # With a model its answer follows under this one (not after a refusal).
                    waiting = not extractive.refused and engine.language_model() is not None
                    content = (
                        streaming_markdown(pieces, extractive, status)
                        if waiting
                        else extractive_markdown(extractive)
                    )
                    history[-1] = {"role": "assistant", "content": content}
                    yield (
                        history, gr.skip(),
                        *_sources_update(shown_items, refused=extractive.refused), gr.skip(),
                    )  # fmt: skip
                    continue
                if isinstance(event, GenerationStatus):
                    status = event
                else:  # the model's text as it is written
                    pieces.append(event)
                history[-1] = {
                    "role": "assistant",
                    "content": streaming_markdown(pieces, extractive, status),
                }
                yield history, *unchanged
        except RaadsinzichtError as exc:
            # The answer from the sources stands when only the model failed.
            history[-1] = {
                "role": "assistant",
                "content": model_failed_markdown(extractive, shell.message(exc)),
            }
            yield history, *unchanged
            return
        if answer is None:  # pragma: no cover - stream_answer always ends with an Answer
            return
        shown = answer_markdown(answer)
        if reveal and PLACEHOLDER.search(shown):
            # Locally, for an authorised user; the audit log keeps the placeholders.
            try:
                shown = engine.reveal(shown, user=user)
            except RaadsinzichtError as exc:
                shell.warning(exc)
        history[-1] = {"role": "assistant", "content": shown}
        items = answer_sources(answer)
        refused = answer.extractive is None and answer.refused
        # Sources already shown with the answer from the sources stay (and stay chosen: no
        # value is sent). They are sent once more: the page's last state must not hang on
        # an update streamed in its first milliseconds (a full test run once ended with
        # the answer shown and an empty list of sources).
        if items == shown_items and extractive is not None:
            radio = _sources_radio(items, refused=extractive.refused, keep_choice=True)
            sources: tuple[Any, ...] = (radio, items, gr.skip(), gr.skip())
        else:
            sources = _sources_update(items, refused=refused)
        yield history, gr.skip(), *sources, answer.audit_id

    def first_preview(
        self, choice: str | None, items: list[dict[str, Any]] | None, request: gr.Request
    ) -> tuple[Any, Any]:
        """After an answer: the page of the source chosen with it (the first cited one)."""
        if not choice or not items:
            return gr.skip(), gr.skip()  # a refusal keeps its notice, no page
        return self.shell.preview(choice, items, request)

    @staticmethod
    def new_chat() -> tuple[Any, ...]:
        return [], gr.Radio(choices=[], value=None), [], "", None, None

    def wire(self) -> None:
        feedback = self.feedback
        outputs = [
            self.chat, self.question, self.sources, self.items, self.details, self.image,
            feedback.record,
        ]  # fmt: skip
        inputs = [self.question, self.chat, *self.filters, self.reveal]
        # One API endpoint ("/ask", streamed) for HTTP clients; Enter does the same. The
        # feedback panel belongs to the last answer: hidden while the next one comes.
        triggers = ((self.ask_button.click, "public"), (self.question.submit, "private"))
        for trigger, visibility in triggers:
            trigger(
                feedback.hide,
                outputs=feedback.box,
                show_progress="hidden",
                api_visibility="private",
            )
            answered = trigger(
                self.ask,
                inputs=inputs,
                outputs=outputs,
                concurrency_limit=4,
                show_progress="minimal",
                concurrency_id="ask",
                api_name="ask" if visibility == "public" else None,
                api_visibility=visibility,
            )
            feedback.follow(answered)
            # In the browser only (an HTTP client of /ask renders no pages).
            answered.then(
                self.first_preview,
                inputs=[self.sources, self.items],
                outputs=[self.details, self.image],
                concurrency_limit=4,
                concurrency_id="preview",
                show_progress="hidden",
                api_visibility="private",
            )
        cleared = [self.chat, self.sources, self.items, self.details, self.image, feedback.record]
        feedback.follow(
            self.clear_button.click(self.new_chat, outputs=cleared, api_visibility="private")
        )
        feedback.wire()
        self.shell.wire_preview(self.sources, self.items, [self.details, self.image])
