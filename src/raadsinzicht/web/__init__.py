"""The web interface (Gradio): Vragen, Zoeken, Samenvatten, Documenten, Bezwaar and
Beheer/Over, a thin shell over the Engine like the CLI.

- ``app``: the Blocks, the PDF route, the login and ``serve``;
- ``tabs/``: one module per tab, layout and handlers;
- ``format``: HTML (Jinja2 templates, autoescaped), Markdown and Word output;
- ``shell``: what the tabs share.

Importing this package does not import Gradio; ``serve`` and ``build_app`` do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr

    from ..engine import Engine
    from ..settings import Settings

__all__ = ["build_app", "serve"]


def build_app(engine: Engine) -> gr.Blocks:
    from .app import build_app as build

    return build(engine)


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    from .app import serve as run

    run(settings, host=host, port=port)
