"""Gradio's own labels in Dutch, whatever the browser's language.

Gradio translates its labels ("Drop File Here", "or", "Click to Upload", "Loading…", the
chat's buttons) with the browser's locale among the locales it ships, English otherwise,
and has no server setting for one language. Custom translations are looked up before its
own, by their flat key (``upload_text.drop_file``); so the Dutch table (``gradio_nl.json``:
the keys of Gradio's ``nl`` locale, completed with Dutch for the keys that locale lacks)
under every locale code Gradio ships makes every browser Dutch.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["GRADIO_LOCALES", "dutch_i18n", "dutch_labels"]

# The locales of Gradio's frontend (gradio 6: templates/frontend/assets/<code>-<hash>.js);
# a browser language not among them gets "en". test_web_features checks this list.
GRADIO_LOCALES = (
    "ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id",
    "ja", "ko", "lt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr",
    "uk", "ur", "uz", "zh-CN", "zh-TW",
)  # fmt: skip


@cache
def dutch_labels() -> dict[str, str]:
    """Gradio's label keys with their Dutch text."""
    text = resources.files("raadsinzicht.web").joinpath("gradio_nl.json").read_text("utf-8")
    labels: dict[str, str] = json.loads(text)
    return labels


def dutch_i18n() -> gr.I18n:
    """``launch(i18n=...)``: the Dutch table under every locale Gradio ships."""
    import gradio as gr

    table = dutch_labels()
    return gr.I18n(**{code: table for code in GRADIO_LOCALES})
