"""The web app: the Gradio Blocks with one module per tab (``tabs/``), the route that
serves indexed PDFs, the login and ``serve``. Every tab only translates between Gradio and
the Engine; formatting lives in ``format.py``, shared pieces in ``shell.py``, the guard
in front of it all (hosts, origins, login, sessions, headers) in ``guard.py``.

Files Gradio writes (uploads, page previews, downloads such as a revealed intake) go to a
private folder of this server (0700, under the system's temp folder), cleaned while the
server runs (``CACHE_HOURS``) and removed when it stops, also on SIGTERM."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

# Nothing is sent anywhere: no usage statistics, no version check (read at gradio import).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import fastapi
import gradio as gr
from fastapi.responses import FileResponse
from starlette.middleware import Middleware

from ..engine import Engine, build_engine
from ..jobs import process_alive
from ..settings import Settings
from ..storage import restrict_umask
from ..users import verify_user
from .format import PDF_ROUTE, account_html, login_page, notice_html
from .guard import Guard, GuardPolicy
from .locale import dutch_i18n
from .shell import FOLDER_PREFIX, Shell, banner_text, new_private_folder
from .tabs.admin import AdminTab
from .tabs.ask import AskTab
from .tabs.bezwaar import BezwaarTab
from .tabs.documents import DocumentsTab
from .tabs.dossier import DossierTab
from .tabs.redact import RedactSection
from .tabs.search import SearchTab
from .tabs.summarize import SummarizeTab

__all__ = [
    "add_pdf_route",
    "auth_callback",
    "build_app",
    "guard_middleware",
    "launch_options",
    "private_folder",
    "serve",
    "start",
]

_DOC_ID_LENGTH = 64
SWITCH_INTERVAL_S = 0.001  # how often a thread hands the GIL on (Python: 0.005)
CACHE_HOURS = 1.0  # Gradio's copies of previews and downloads are deleted after this

# -- presentation ---------------------------------------------------------------------------

THEME_COLOURS = {
    "accent": "#01689b",  # 6.1:1 on white
    "accent_dark": "#154273",  # 10.2:1 with white text
    "text": "#1a1a1a",
    "subdued": "#4b5563",  # 7.6:1 on white
    "border": "#6b7280",  # 4.8:1: input borders meet WCAG 1.4.11 (3:1)
    "danger": "#a4262c",  # 7.3:1 with white text
}

CSS = """
.ri-notice { background:#fff4d6; color:#1a1a1a; border-left:6px solid #b35c00;
  padding:.6rem 1rem; border-radius:4px; font-weight:600; }
.ri-banner { background:#fff4d6; color:#1a1a1a; border-left:6px solid #b35c00;
  padding:.75rem 1rem; border-radius:4px; }
.ri-banner p { margin:.25rem 0; }
.ri-results ol { padding-left:0; list-style:none; }
.ri-results li { border:1px solid #6b7280; border-radius:6px; padding:.6rem .9rem;
  margin-bottom:.6rem; background:#ffffff; color:#1a1a1a; }
.ri-results h3 { font-size:1.05rem; margin:0 0 .2rem 0; color:#1a1a1a; }
.ri-meta { color:#4b5563; font-size:.92rem; margin:.1rem 0 .35rem 0; }
.ri-results mark, .ri-source mark, .ri-status mark { background:#ffe066; color:#000000;
  padding:0 .1em; }
.ri-source { color:#1a1a1a; }
.ri-source blockquote { border-left:4px solid #01689b; margin:.4rem 0; padding:.2rem .8rem;
  color:#1a1a1a; background:#f3f4f6; }
.ri-source a, .ri-results a, .ri-header a { color:#01689b; text-decoration:underline; }
.ri-status ul { list-style:none; padding-left:0; }
.ri-status li { padding:.2rem 0; }
.ri-ok { color:#146c2e; font-weight:600; }
.ri-bad { color:#a4262c; font-weight:600; }
.ri-muted { color:#4b5563; }
.ri-header h1 { margin-bottom:.1rem; }
.ri-results p, .ri-results h3, .ri-source p { display:block; }
.ri-table { overflow-x:auto; }
.ri-table table { border-collapse:collapse; width:100%; font-size:.95rem; color:#1a1a1a; }
.ri-table caption { text-align:left; font-weight:600; padding:.3rem 0; color:#1a1a1a; }
.ri-table th, .ri-table td { border:1px solid #6b7280; padding:.35rem .5rem; text-align:left;
  vertical-align:top; }
.ri-table th { background:#f3f4f6; }
.ri-table a { color:#01689b; text-decoration:underline; }
.ri-logout { background:none; border:none; padding:0; color:#01689b; text-decoration:underline;
  cursor:pointer; font:inherit; }
:focus-visible { outline:3px solid #01689b !important; outline-offset:2px !important; }
.ri-speaker { margin:.1rem 0 .3rem 0; color:#1a1a1a; }
.ri-timeline { list-style:none; padding-left:0; border-left:4px solid #01689b; margin-left:.5rem; }
.ri-card { position:relative; margin:0 0 .8rem 1rem; padding:.6rem .9rem; background:#ffffff;
  color:#1a1a1a; border:1px solid #6b7280; border-radius:6px; }
.ri-card::before { content:""; position:absolute; left:-1.55rem; top:.9rem; width:.8rem;
  height:.8rem; border-radius:50%; background:#01689b; }
.ri-card.ri-start { border:2px solid #154273; background:#e6f0f6; }
.ri-card h3 { font-size:1.05rem; margin:.1rem 0; color:#1a1a1a; }
.ri-card a { color:#01689b; text-decoration:underline; }
.ri-evidence { font-size:.92rem; margin:.3rem 0 0 1rem; padding-left:.5rem; }
.ri-outcome { color:#154273; }
.ri-badge { background:#154273; color:#ffffff; padding:0 .4em; border-radius:3px; }
.ri-cards { display:flex; flex-wrap:wrap; gap:.6rem; margin:.4rem 0; }
.ri-cards div { border:1px solid #6b7280; border-radius:6px; padding:.4rem .7rem;
  background:#ffffff; min-width:9rem; }
.ri-cards dt { color:#4b5563; font-size:.9rem; }
.ri-cards dd { margin:0; font-size:1.3rem; font-weight:600; color:#1a1a1a; }
.ri-estimate { background:#fff4d6; color:#1a1a1a; border-left:6px solid #b35c00;
  padding:.4rem .8rem; border-radius:4px; }
"""

# The page language is Dutch (WCAG 3.1.1), the app stays in its checked light colours, and
# the few screen-reader labels gradio writes in English outside its translations
# (``locale.py`` covers the rest) are made Dutch.
JS = """
() => {
  // Gradio sets the page language to the browser's locale; the text is Dutch.
  const root = document.documentElement;
  const dutchPage = () => { if (root.lang !== 'nl') root.lang = 'nl'; };
  dutchPage();
  new MutationObserver(dutchPage).observe(root, {attributes: true, attributeFilter: ['lang']});
  document.body.classList.remove('dark');
  const dutch = {
    'Click to upload or drop files': 'Klik om bestanden te kiezen of sleep ze hierheen',
    'File upload': 'Bestanden uploaden',
    'Remove this file': 'Dit bestand weghalen',
  };
  const translate = () => {
    for (const [english, nl] of Object.entries(dutch)) {
      document.querySelectorAll(`[aria-label="${english}"]`)
        .forEach(e => e.setAttribute('aria-label', nl));
    }
  };
  translate();
  new MutationObserver(translate).observe(document.body, {subtree: true, childList: true});
}
"""


def _theme() -> gr.themes.Base:
    colours = THEME_COLOURS
    system_fonts = ["system-ui", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
    mono_fonts = ["ui-monospace", "Consolas", "DejaVu Sans Mono", "monospace"]
    return gr.themes.Default(
        primary_hue="sky", neutral_hue="gray", font=system_fonts, font_mono=mono_fonts
    ).set(
        body_text_color=colours["text"],
        body_text_color_subdued=colours["subdued"],
        block_label_text_color=colours["subdued"],
        block_info_text_color=colours["subdued"],
        block_title_text_color=colours["text"],
        input_placeholder_color=colours["border"],
        input_border_color=colours["border"],
        input_border_color_focus=colours["accent"],
        checkbox_border_color=colours["border"],
        checkbox_background_color_selected=colours["accent"],
        checkbox_border_color_selected=colours["accent"],
        color_accent=colours["accent"],
        color_accent_soft="#e6f0f6",
        link_text_color=colours["accent"],
        link_text_color_hover=colours["accent_dark"],
        link_text_color_visited=colours["accent_dark"],
        loader_color=colours["accent"],
        slider_color=colours["accent"],
        button_primary_background_fill=colours["accent"],
        button_primary_background_fill_hover=colours["accent_dark"],
        button_primary_text_color="#ffffff",
        button_primary_text_color_hover="#ffffff",
        button_primary_border_color=colours["accent"],
        button_secondary_background_fill="#ffffff",
        button_secondary_background_fill_hover="#e6f0f6",
        button_secondary_text_color=colours["text"],
        button_secondary_border_color=colours["border"],
        button_cancel_background_fill=colours["danger"],
        button_cancel_background_fill_hover="#7f1d22",
        button_cancel_text_color="#ffffff",
        button_cancel_text_color_hover="#ffffff",
        button_cancel_border_color=colours["danger"],
        button_border_width="1px",
    )


def launch_options() -> dict[str, Any]:
    """Theme, CSS, script and Dutch labels the app is launched with (gradio 6: options of
    launch())."""
    return {"theme": _theme(), "css": CSS, "js": JS, "i18n": dutch_i18n()}


# -- the application ------------------------------------------------------------------------


def build_app(engine: Engine) -> gr.Blocks:
    """The Gradio app over ``engine``. ``serve`` launches it with ``launch_options()``
    (theme, CSS, page language), the guard, the optional login and the PDF route."""
    return _build(Shell(engine))


# Gradio's queue summarises its last 10,000 events with pandas after every event, for a
# monitoring page this app never enables: 7 ms of CPU per event, holding the GIL, once a
# server has run a while (measured). Read when the Blocks are made; the environment wins.
GRADIO_QUEUE_ANALYTICS = {
    "GRADIO_ANALYTICS_CACHE_FREQUENCY": str(10**9),
    "GRADIO_ANALYTICS_MAX_EVENTS": "100",
}


def skip_matplotlib_probe() -> None:
    """Gradio tries ``import matplotlib`` before and after every event (to switch its plot
    backend). Without matplotlib installed each try searches all of ``sys.path`` again, on
    the event loop: 1 % of the app's CPU under load (py-spy, eval/bench_load.py). A None
    entry in ``sys.modules`` makes that import fail at once, as Python documents."""
    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]


def _build(shell: Shell) -> gr.Blocks:
    for name, value in GRADIO_QUEUE_ANALYTICS.items():
        os.environ.setdefault(name, value)
    skip_matplotlib_probe()
    first_problem = shell.engine.model_status()
    cache = int(CACHE_HOURS * 3600)
    with gr.Blocks(
        title="Raadsinzicht", analytics_enabled=False, delete_cache=(cache // 4, cache)
    ) as app:
        with gr.Row(elem_classes="ri-header"):
            gr.Markdown(
                "# Raadsinzicht\n"
                "Vragen stellen, zoeken en samenvatten in de raads- en beleidsdocumenten van "
                "uw gemeente. Alles blijft op deze computer."
            )
            account = gr.HTML("", elem_id="account")
        gr.HTML(notice_html())
        with gr.Tabs() as tabs:
            with gr.Tab("Vragen", id="vragen"):
                ask = AskTab(shell, first_problem)
            with gr.Tab("Zoeken", id="zoeken"):
                search = SearchTab(shell)
            with gr.Tab("Dossier", id="dossier"):
                dossier = DossierTab(shell)
            with gr.Tab("Samenvatten", id="samenvatten"):
                summarize = SummarizeTab(shell, first_problem)
            with gr.Tab("Documenten", id="documenten"):
                documents = DocumentsTab(shell)
                redact = RedactSection(shell)
            with gr.Tab("Bezwaar", id="bezwaar"):
                bezwaar = BezwaarTab(shell, first_problem)
            with gr.Tab("Beheer / Over", id="beheer"):
                admin = AdminTab(shell)
        gr.HTML(notice_html(role="contentinfo", css="ri-muted"))

        for tab in (ask, search, dossier, summarize, documents, redact, bezwaar, admin):
            tab.wire()
        dossier.wire_opener(search.dossier_button, search.choice, search.items, tabs)
        dossier.wire_opener(ask.dossier_button, ask.sources, ask.items, tabs)

        def on_load(request: gr.Request) -> tuple[Any, ...]:
            """Probe the model again on every page load: after starting Ollama, a reload
            clears the banner."""
            problem = shell.engine.model_status()
            text = banner_text(problem, shell.settings.llm.provider)
            banner = gr.Markdown(value=text, visible=bool(text))
            # Read before the views: a change in between is shown by the next poll.
            seen = {"generation": shell.engine.catalog.generation, "shown": {}}
            return (
                banner,
                banner,
                account_html(shell.user(request)),
                seen,
                *admin.on_load(problem, request),
                *documents.admin_sections(request),
                *shell.catalog_views(request),
            )

        app.load(
            on_load,
            outputs=[
                ask.banner,
                summarize.banner,
                account,
                documents.seen,
                *admin.load_outputs(),
                *documents.admin_outputs(),
                *shell.views.outputs(),
            ],
            show_progress="hidden",
            api_visibility="private",
        )
    return app


# -- routes and login -----------------------------------------------------------------------


def _login_dependency(app: fastapi.FastAPI) -> Callable[[fastapi.Request], str | None]:
    """The app's login check, as gradio does it for its own routes: the session cookie set
    at login maps to a user, who is returned (None without login). Fails closed when
    gradio's App does not look as expected."""
    if not all(hasattr(app, name) for name in ("auth", "auth_dependency", "tokens", "cookie_id")):
        raise RuntimeError("onverwachte gradio-versie: de PDF-route kan niet beveiligd worden")

    def check(request: fastapi.Request) -> str | None:
        auth, dependency = getattr(app, "auth", None), getattr(app, "auth_dependency", None)
        if auth is None and dependency is None:
            return None  # no login configured
        cookie_id = getattr(app, "cookie_id", "")
        token = request.cookies.get(f"access-token-{cookie_id}") or request.cookies.get(
            f"access-token-unsecure-{cookie_id}"
        )
        tokens: dict[str, str] = getattr(app, "tokens", {})
        user = tokens.get(token) if token else None
        if dependency is not None or user is None:
            raise fastapi.HTTPException(status_code=401, detail="Niet ingelogd")
        return user

    return check


def add_pdf_route(app: fastapi.FastAPI, engine: Engine) -> None:
    """``GET /raadsinzicht/pdf/<document sha256>``: the original PDF of an indexed document,
    inline (so ``#page=N`` opens it at that page). Only documents in the catalog that the
    logged-in user may see are served, never a path from the request; audited."""
    login_check = _login_dependency(app)

    def pdf(doc_id: str, user: str | None = fastapi.Depends(login_check)) -> FileResponse:
        if len(doc_id) != _DOC_ID_LENGTH or any(c not in "0123456789abcdef" for c in doc_id):
            raise fastapi.HTTPException(status_code=404, detail="Onbekend document")
        path = engine.open_pdf(doc_id, user=user)
        if path is None:
            raise fastapi.HTTPException(status_code=404, detail="Document niet gevonden")
        return FileResponse(
            path,
            media_type="application/pdf",
            filename=path.name,
            content_disposition_type="inline",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
        )

    app.add_api_route(PDF_ROUTE + "/{doc_id}", pdf, methods=["GET"], include_in_schema=False)


def auth_callback(users: dict[str, str]) -> Callable[[str, str], bool] | None:
    if not users:
        return None
    return lambda name, password: verify_user(users, name, password)


def guard_middleware(engine: Engine, *, extra_hosts: tuple[str, ...] = ()) -> Middleware:
    """The guard (``guard.py``) for ``launch(app_kwargs={"middleware": [...]})``; login
    attempts go to ``engine``'s audit log."""
    policy = GuardPolicy(
        engine.settings.web,
        audit=engine.audit.append,
        login_page=login_page,
        extra_hosts=extra_hosts,
    )
    return Middleware(Guard, policy=policy)


@contextmanager
def private_folder() -> Iterator[Path]:
    """A folder for this server's temporary files, owner-only, with Gradio's file cache
    in it (``GRADIO_TEMP_DIR``); removed when the block ends. Folders left by servers
    that were killed are removed first."""
    _remove_stale_folders()
    folder = new_private_folder()
    previous = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(folder / "gradio")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if previous is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = previous


def _remove_stale_folders() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        try:
            mine = folder.is_dir() and folder.stat().st_uid == os.geteuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (systemd, docker stop) ends the server like Ctrl+C: cleaned up."""
    raise KeyboardInterrupt


SHUTDOWN_GRACE_SECONDS = 1  # what a running request gets to finish at Ctrl+C


class _QuietShutdown(logging.Filter):
    """Drop uvicorn's report of the streams it cancels at the end of the grace period
    (a traceback per open page): closing them is the point of the stop."""

    def filter(self, record: logging.LogRecord) -> bool:
        cancelled = record.exc_info is not None and isinstance(
            record.exc_info[1], asyncio.CancelledError
        )
        return not cancelled and "timeout graceful shutdown" not in record.getMessage()


def start(
    engine: Engine, shell: Shell, *, host: str, port: int, guard: Middleware | None = None
) -> tuple[gr.Blocks, fastapi.FastAPI, str]:
    """Launch the app over ``engine`` without blocking: behind the guard (default: from
    the settings), with the optional login and the PDF route. Returns the Blocks, the
    FastAPI app and the local URL; ``Blocks.close()`` stops it."""
    settings = engine.settings
    limit = settings.web.max_upload_mb
    guard = guard or guard_middleware(engine, extra_hosts=(host,))
    app = _build(shell)
    server, local_url, _ = app.launch(
        server_name=host,
        server_port=port,
        auth=auth_callback(settings.web.users),
        auth_message="Log in met uw gebruikersnaam en wachtwoord.",
        prevent_thread_lock=True,
        share=False,
        inbrowser=False,
        show_error=False,  # our errors are shown as Dutch lines; others not at all
        ssr_mode=False,
        footer_links=[],
        # Hard cap on one request; the per-file limit (with a Dutch message) is lower.
        max_file_size=f"{4 * limit}mb",
        quiet=True,
        app_kwargs={"middleware": [guard]},
        state_session_capacity=settings.web.kept_sessions,
        **launch_options(),
    )
    _guard_outermost(server, guard)
    add_pdf_route(server, engine)
    if app.server is not None:
        # An open page keeps an event stream open, and uvicorn waits for every stream to
        # end before it stops: Ctrl+C took 6 s with one browser tab, longer with more.
        app.server.config.timeout_graceful_shutdown = SHUTDOWN_GRACE_SECONDS
        uvicorn_log = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _QuietShutdown) for f in uvicorn_log.filters):
            uvicorn_log.addFilter(_QuietShutdown())
    return app, server, local_url


def _guard_outermost(server: fastapi.FastAPI, guard: Middleware) -> None:
    """Gradio wraps the app's own middleware in its CORS middleware, which answers any
    ``Origin`` with ``Access-Control-Allow-Origin`` and credentials when the Host is not
    localhost. Move the guard outside it (it guarded from inside while the server
    started), so a refused cross-origin request gets no CORS permission either."""
    stack = server.user_middleware
    if guard not in stack:
        raise RuntimeError("onverwachte gradio-versie: de bewaking kan niet geplaatst worden")
    stack.remove(guard)
    stack.insert(0, guard)
    server.middleware_stack = server.build_middleware_stack()


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Run the web interface until interrupted (127.0.0.1:7860 unless configured)."""
    restrict_umask()
    # The event loop (every page's requests and streams) waits for the GIL behind the
    # threads that search and answer; Python hands it over every 5 ms by default. 1 ms
    # cut the 20-user search p95 by about a sixth (eval/bench_load.py without an upload,
    # 3 alternating runs of each; with one, the difference was within the noise).
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server_name = host or settings.web.host
    with private_folder() as folder:
        # Parsing and page previews in child processes: MuPDF holds the GIL, and a scanned
        # upload or a preview must not stall other requests.
        engine = build_engine(settings, parsing_process=True, render_process=True)
        try:
            shell = Shell(engine, downloads=folder / "downloads")
            app, _, local_url = start(
                engine, shell, host=server_name, port=port or settings.web.port
            )
            # The query model loads now rather than in the first search (~0.4 s); not a
            # daemon, so a stop right after the start waits for it (see e5onnx).
            threading.Thread(target=engine.embedder, name="embedder-load").start()
            print(f"Raadsinzicht draait op {local_url}  (stoppen: Ctrl+C)", flush=True)
            for warning in _exposure_warnings(settings, server_name):
                print(f"Let op: {warning}", flush=True)
            app.block_thread()
        finally:
            engine.close()


def _exposure_warnings(settings: Settings, server_name: str) -> list[str]:
    """What an administrator should know when the app is reachable from the network."""
    if server_name in ("127.0.0.1", "localhost", "::1"):
        return []
    warnings = []
    if not settings.web.users:
        warnings.append(
            "de webinterface is vanaf het netwerk bereikbaar zonder inloggen. Stel "
            "gebruikers in onder [web.users] (zie `raadsinzicht user-hash`)."
        )
    if not settings.web.allowed_hosts:
        warnings.append(
            "alleen deze computer en IP-adressen worden beantwoord; zet de hostnaam "
            "waaronder collega's de app openen in web.allowed_hosts."
        )
    return warnings
