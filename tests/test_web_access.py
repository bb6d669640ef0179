"""The hardened web app, over raw HTTP and Gradio's own client: the guard (hosts, origins,
login page, throttling, sessions, logout, headers), access per collection through the PDF
route and the Gradio HTTP API, Dutch one-line errors, no raw HTML, and the private folder
for Gradio's files. The app runs in this process on 127.0.0.1 (a free port), over the
installation of ``test_access.py``; the browser test is in ``test_web.py``.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.middleware import Middleware
from typer.testing import CliRunner

from raadsinzicht.cli import app as cli_app
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.users import hash_password
from raadsinzicht.web.format import markdown_text
from raadsinzicht.web.guard import Guard, GuardPolicy, LoginThrottle, host_name

from .fake_ollama import FakeOllama
from .pdfs import motie_text, write_pdf
from .test_access import _settings, installation, ollama  # noqa: F401 - shared fixtures
from .test_web import _free_port

PASSWORD = "Lang-genoeg-wachtwoord-7"
USERS = ("raadslid", "jansen", "admin")
APP_HOST = "raadsinzicht.test"
FOREIGN = "http://intranet-andere-app.test"
KEPT_SESSIONS = 4


@pytest.fixture(scope="module")
def web(installation: Path, ollama: FakeOllama) -> Iterator[dict[str, Any]]:  # noqa: F811
    """The app with login for three users, behind the guard (with its policy at hand)."""
    import gradio  # noqa: F401 - imported here: a test run without this module stays light

    from raadsinzicht.web.app import private_folder, start
    from raadsinzicht.web.format import login_page
    from raadsinzicht.web.shell import Shell

    hashed = hash_password(PASSWORD)
    settings = _settings(
        installation,
        ollama,
        web={
            "users": {u: hashed for u in USERS},
            "allowed_hosts": [APP_HOST],
            "kept_sessions": KEPT_SESSIONS,
        },
    )
    with private_folder() as folder:
        engine = build_engine(settings)
        policy = GuardPolicy(settings.web, audit=engine.audit.append, login_page=login_page)
        blocks, server, url = start(
            engine,
            Shell(engine, downloads=folder / "downloads"),
            host="127.0.0.1",
            port=_free_port(),
            guard=Middleware(Guard, policy=policy),
        )
        try:
            yield {
                "url": url,
                "engine": engine,
                "policy": policy,
                "server": server,
                "blocks": blocks,
            }
        finally:
            blocks.close()
            engine.close()


def _client(web: dict[str, Any]) -> httpx.Client:
    return httpx.Client(base_url=web["url"], timeout=30, follow_redirects=False)


@contextmanager
def _login(web: dict[str, Any], user: str) -> Iterator[httpx.Client]:
    with _client(web) as client:
        response = client.post("/login", data={"username": user, "password": PASSWORD})
        assert response.status_code == 200, response.text
        yield client


def _doc_id(engine: Engine, name: str) -> str:
    (document,) = [d for d in engine.documents(user="jansen") if d.file.endswith(name)]
    return document.doc_id


@pytest.fixture
def fresh_throttle(web: dict[str, Any]) -> Iterator[None]:
    """Every test starts (and leaves) without lockouts: all requests come from 127.0.0.1."""
    policy = web["policy"]
    policy.throttle = LoginThrottle(policy.throttle.attempts, policy.throttle.lockout)
    yield
    policy.throttle = LoginThrottle(policy.throttle.attempts, policy.throttle.lockout)


# -- the guard --------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_login_page_shows_nothing_of_the_app(web: dict[str, Any]) -> None:
    with _client(web) as client:
        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200 and 'action="login"' in page.text
        assert "Gebruikersnaam" in page.text and "<script" not in page.text
        for leak in ("named_endpoints", "/search", "/summarize", "gradio_config", "api_name"):
            assert leak not in page.text, leak
        assert "default-src 'none'" in page.headers["content-security-policy"]
        doc_id = _doc_id(web["engine"], "sleutelgeld.pdf")
        closed = ["/config", "/gradio_api/info", "/gradio_api/openapi.json", "/theme.css"]
        for path in [*closed, f"/raadsinzicht/pdf/{doc_id}", "/gradio_api/upload"]:
            response = client.get(path)
            assert response.status_code == 401, path
            assert "named_endpoints" not in response.text


@pytest.mark.slow
def test_foreign_hosts_and_origins_are_refused(web: dict[str, Any], fresh_throttle: None) -> None:
    """DNS rebinding and credentialed cross-origin reads: even with a logged-in user's
    cookie, a request from another origin gets no response to read."""
    with _login(web, "jansen") as client:
        assert client.get("/config").status_code == 200
        rebound = client.get("/config", headers={"Host": "aanvaller.example"})
        assert rebound.status_code == 400 and "allowed_hosts" in rebound.text
        named = client.get("/config", headers={"Host": f"{APP_HOST}:80"})
        assert named.status_code == 200
        for headers in (
            {"Origin": FOREIGN},
            {"Origin": "null"},
            {"Origin": f"http://{APP_HOST}.aanvaller.example"},
            {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"},
        ):
            response = client.get("/config", headers=headers)
            assert response.status_code == 403, headers
            assert "access-control-allow-origin" not in response.headers
            assert "dependencies" not in response.text
            joined = client.post("/gradio_api/queue/join", json={}, headers=headers)
            assert joined.status_code == 403 and "access-control-allow-origin" not in joined.headers
        # The app's own pages (same origin) and a listed origin are fine.
        own = client.get("/config", headers={"Origin": web["url"].rstrip("/")})
        assert own.status_code == 200
        # A link from elsewhere on the intranet still opens the app (top-level navigation).
        navigation = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
        link = client.get("/", headers={**navigation, "Accept": "text/html"})
        assert link.status_code == 200
        assert "img-src 'self' data: blob:" in link.headers["content-security-policy"]
        assert link.headers["x-frame-options"] == "DENY"
        assert link.headers["x-content-type-options"] == "nosniff"


def test_host_names() -> None:
    assert host_name("Raadsinzicht.test:7860") == "raadsinzicht.test"
    assert host_name("[::1]:7860") == "::1" and host_name("127.0.0.1") == "127.0.0.1"
    assert host_name("::1") == "::1"


@pytest.mark.slow
def test_login_throttling_with_lockout_and_audit(web: dict[str, Any], fresh_throttle: None) -> None:
    engine = web["engine"]
    with _client(web) as client:
        wrong = [
            client.post("/login", data={"username": "jansen", "password": f"fout-{n}"})
            for n in range(5)
        ]
        assert [r.status_code for r in wrong] == [400] * 5
        locked = client.post("/login", data={"username": "jansen", "password": PASSWORD})
        assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.json()["detail"]
        assert "set-cookie" not in locked.headers
        # The form (a browser without script) gets the login page with the reason.
        form = client.post("/login", data={"username": "admin", "password": PASSWORD},
                           headers={"Accept": "text/html"})  # fmt: skip
        assert form.status_code == 429 and "Te veel mislukte pogingen" in form.text
    logins = [r for r in engine.audit.records() if r.action == "login"][-7:]
    assert [r.refused for r in logins] == [True] * 7
    assert logins[0].error == "onjuiste gebruikersnaam of wachtwoord"
    assert logins[-1].error.startswith("geweigerd") and logins[-1].filters["client"] == "127.0.0.1"


@pytest.mark.slow
def test_login_form_sessions_expire_and_logout_is_a_post(
    web: dict[str, Any], fresh_throttle: None
) -> None:
    with _client(web) as client:
        bad = client.post("/login", data={"username": "jansen", "password": "x"},
                          headers={"Accept": "text/html"})  # fmt: skip
        assert bad.status_code == 400 and "onjuist" in bad.text and 'value="jansen"' in bad.text
        good = client.post("/login", data={"username": "jansen", "password": PASSWORD},
                           headers={"Accept": "text/html"})  # fmt: skip
        assert good.status_code == 303 and good.headers["location"] == "./"
        cookies = good.headers.get_list("set-cookie")
        assert cookies and all("samesite=lax" in c.lower() for c in cookies)
        assert client.get("/config").status_code == 200
        assert client.get("/logout").status_code == 405  # a link cannot log anyone out
        assert client.get("/config").status_code == 200
        assert client.post("/logout").status_code == 303
        assert client.get("/config").status_code == 401
    tokens = web["server"].tokens
    with _login(web, "jansen") as client:
        assert client.get("/config").status_code == 200
        (token,) = {v for k, v in client.cookies.items() if k.startswith("access-token-")}
        assert tokens[token] == "jansen"
        sessions = web["policy"].sessions
        later = time.time() + sessions.seconds + 60
        sessions._clock = lambda: later
        try:
            assert client.get("/config").status_code == 401  # the session has expired
        finally:
            sessions._clock = time.time
        assert token not in tokens


# -- access through the web -------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_route_follows_access_and_is_audited(web: dict[str, Any], fresh_throttle: None) -> None:
    engine = web["engine"]
    letter, motion = _doc_id(engine, "bezwaar-dakkapel.pdf"), _doc_id(engine, "sleutelgeld.pdf")
    with _login(web, "raadslid") as client:
        assert client.get(f"/raadsinzicht/pdf/{letter}").status_code == 404
        opened = client.get(f"/raadsinzicht/pdf/{motion}")
        assert opened.status_code == 200 and opened.content.startswith(b"%PDF")
        assert "sleutelgeld.pdf" in opened.headers["content-disposition"]
    with _login(web, "jansen") as client:
        assert client.get(f"/raadsinzicht/pdf/{letter}").status_code == 200
    views = [(r.user, r.refused) for r in engine.audit.records() if r.action == "pdf"][-3:]
    assert views == [("raadslid", True), ("raadslid", False), ("jansen", False)]


@pytest.mark.slow
def test_the_gradio_http_api_applies_access(web: dict[str, Any], fresh_throttle: None) -> None:
    from gradio_client import Client

    engine = web["engine"]

    def search(user: str) -> str:
        client = Client(web["url"], auth=(user, PASSWORD), verbose=False, download_files=False)
        try:
            results, *_ = client.predict("bezwaar dakkapel", 20, [], "", "", [], [],
                                         [], [], "", [], "", api_name="/search")  # fmt: skip
        finally:
            client.close()
        return str(results)

    outsider = search("raadslid")
    assert "resultaten" in outsider and "bezwaar/" not in outsider and "besloten/" not in outsider
    assert "bezwaar/bezwaar-dakkapel.pdf" in search("jansen")
    # A restricted document by id through another endpoint: refused, nothing told about it
    # (Gradio already refuses a document that is not among this session's choices; the
    # Engine would refuse it as not found).
    client = Client(web["url"], auth=("raadslid", PASSWORD), verbose=False, download_files=False)
    try:
        with pytest.raises(Exception) as refused:
            client.predict(_doc_id(engine, "reactie-motie.pdf"), "algemeen", api_name="/summarize")
    finally:
        client.close()
    assert "reactie" not in str(refused.value) and "Korting" not in str(refused.value)


@pytest.mark.slow
def test_sessions_the_app_keeps_are_bounded(web: dict[str, Any], fresh_throttle: None) -> None:
    """Every API call without a session of its own starts one, and Gradio keeps a copy of
    the page's configuration for each: the app keeps only the newest few."""
    sessions = web["blocks"].state_holder.session_data
    with _login(web, "jansen") as client:
        for number in range(KEPT_SESSIONS + 3):
            session = f"sessie-{number}"
            response = client.post(
                "/gradio_api/call/search",
                json={"data": ["dakkapel", 10, [], "", "", [], [], [], [], "", [], ""],
                      "session_hash": session},
            )  # fmt: skip
            assert response.status_code == 200, response.text
            event = response.json()["event_id"]
            assert "complete" in client.get(f"/gradio_api/call/search/{event}").text
            assert session in sessions
    assert len(sessions) <= KEPT_SESSIONS
    assert "sessie-0" not in sessions


def test_the_queue_does_not_summarise_its_events(web: dict[str, Any]) -> None:
    """Gradio would rebuild a pandas summary of up to 10,000 past events after every event
    (for a monitoring page the app does not have); the app turns that off."""
    queue = web["blocks"]._queue
    with _login(web, "jansen") as client:
        response = client.post(
            "/gradio_api/call/search",
            json={"data": ["dakkapel", 10, [], "", "", [], [], [], [], "", [], ""]},
        )
        event = response.json()["event_id"]
        assert "complete" in client.get(f"/gradio_api/call/search/{event}").text
    assert queue.events_recorded >= 1
    assert queue.cached_event_analytics_summary == {"functions": {}}


@pytest.mark.slow
def test_page_previews_follow_access(web: dict[str, Any]) -> None:
    """The preview beside results renders a page only of a document the user may see
    (an item of the page's state, say from before the rules changed, is no way around)."""
    from types import SimpleNamespace

    from raadsinzicht.web.format import source_item
    from raadsinzicht.web.shell import Shell

    engine = web["engine"]
    (hit,) = [h for h in engine.search("dakkapel", user="jansen") if "dakkapel" in h.file]
    items = [source_item(hit, hit.page, hit.snippet, prefix="1.")]
    shell = Shell(engine)
    _, image = shell.preview("1", items, SimpleNamespace(username="jansen"))
    assert image is not None
    details, image = shell.preview("1", items, SimpleNamespace(username="raadslid"))
    assert image is None and "niet meer aanwezig" in details


# -- errors, HTML and files -------------------------------------------------------------------


def test_messages_are_one_line_without_server_paths_or_html(make_settings) -> None:
    from raadsinzicht.web.shell import Shell

    engine = build_engine(make_settings())
    try:
        shell = Shell(engine)
        home = engine.home.resolve()
        message = shell.message(
            f"<img src=x onerror=alert(5)>.pdf:\nstaat nu in {home}/prullenbak/a.pdf"
        )
        assert "\n" not in message and str(home) not in message and "<img" not in message
        assert message == "&lt;img src=x onerror=alert(5)&gt;.pdf: staat nu in …/prullenbak/a.pdf"
    finally:
        engine.close()


def test_a_shell_removes_its_own_folder_and_names_it_for_the_stale_folder_sweep(
    make_settings,
) -> None:
    """Downloads may hold personal data: a shell that made its own folder (an app built
    without ``serve``) removes it when it goes, and a killed process's folder carries its
    pid, so the next server's sweep finds it."""
    import gc

    from raadsinzicht.web.shell import FOLDER_PREFIX, Shell

    engine = build_engine(make_settings())
    try:
        shell = Shell(engine)
        folder = shell.downloads
        assert folder.name.startswith(f"{FOLDER_PREFIX}{os.getpid()}-")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        (folder / "intake.docx").write_bytes(b"persoonsgegevens")
        del shell
        gc.collect()
        assert not folder.exists()
        given = make_settings().home / "downloads"
        kept = Shell(engine, downloads=given)  # a folder passed in is its owner's to remove
        del kept
        gc.collect()
        assert given.is_dir()
    finally:
        engine.close()


def test_untrusted_text_in_markdown_is_text() -> None:
    text = 'Zie <img src="http://203.0.113.9/pixel.png"> en ![x](http://203.0.113.9/p.png) & meer'
    shown = markdown_text(text)
    assert "<img" not in shown and "![" not in shown and "&amp; meer" in shown


def test_a_file_name_with_html_is_text_in_the_summary_view() -> None:
    from raadsinzicht.summarize import Summary
    from raadsinzicht.web.format import summary_view

    summary = Summary(
        file="brieven/<img src=x onerror=alert(5)>.pdf",
        title="<b>Brief</b>",
        template="algemeen",
        text='Het college antwoordt [p. 1]. <img src="http://203.0.113.9/pixel.png">',
        pages_cited=[1],
        flagged=[],
        model="extractief",
        prompt_sha256="0",
        parts=1,
    )
    shown = summary_view(summary, "a" * 64)
    assert "<img" not in shown and "<b>" not in shown
    assert "&lt;img src=x onerror=alert(5)>.pdf" in shown
    assert "](raadsinzicht/pdf/" + "a" * 64 + "#page=1)" in shown  # page links still work


def test_private_folder_for_gradio_files() -> None:
    from raadsinzicht.web.app import private_folder

    stale = Path(tempfile.mkdtemp(prefix="raadsinzicht-web-999999999-"))
    with private_folder() as folder:
        assert not stale.exists()  # left by a server that is gone
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert os.environ["GRADIO_TEMP_DIR"] == str(folder / "gradio")
    assert not folder.exists()


def test_data_directory_is_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "oud"
    home.mkdir(mode=0o755)
    old = home / "catalog.sqlite3"
    old.write_bytes(b"")
    old.chmod(0o644)
    (home / "privacy").mkdir(mode=0o755)
    from raadsinzicht.settings import load_settings

    engine = build_engine(load_settings(home=home, ingest_dir=tmp_path / "in"))
    engine.close()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "privacy").stat().st_mode) == 0o700
    # What the CLI writes is owner-only from the start.
    previous = os.umask(0o022)
    try:
        inbox = tmp_path / "nieuw-in"
        write_pdf(inbox / "motie.pdf", [motie_text("de hondenbelasting", "VVD")])
        result = CliRunner().invoke(
            cli_app,
            ["--home", str(tmp_path / "nieuw"), "ingest", str(inbox), "--no-embed"],
        )
        assert result.exit_code == 0, result.output
    finally:
        os.umask(previous)
    for path in (tmp_path / "nieuw").rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_redact_refuses_a_folder_report_and_an_existing_output(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "brief.pdf", ["Mijn BSN is 111222333."])
    existing = tmp_path / "bestaat.pdf"
    existing.write_bytes(b"niet overschrijven")
    runner = CliRunner()
    base = ["--home", str(tmp_path / "home"), "redact", str(pdf), "--type", "BSN"]
    folder = runner.invoke(cli_app, [*base, "-o", str(tmp_path / "uit.pdf"), "--report",
                                     str(tmp_path)])  # fmt: skip
    assert folder.exit_code == 2 and "is een map" in folder.stderr
    assert len(folder.stderr.strip().splitlines()) == 1 and "Traceback" not in folder.output
    kept = runner.invoke(cli_app, [*base, "-o", str(existing)])
    assert kept.exit_code == 2 and "bestaat al" in kept.stderr
    assert existing.read_bytes() == b"niet overschrijven"
    replaced = runner.invoke(cli_app, [*base, "-o", str(existing), "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert existing.read_bytes().startswith(b"%PDF")


def test_an_error_about_a_name_with_a_newline_stays_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli_app, ["--home", str(tmp_path / "home"), "summarize", "brief\nvan jansen.pdf"]
    )
    assert result.exit_code == 2 and "niet gevonden" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_sigterm_removes_the_servers_private_folder(tmp_path: Path) -> None:
    """``raadsinzicht serve`` stopped by SIGTERM (systemd, docker stop) leaves no files."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAADSINZICHT_", "GRADIO_"))}
    env |= {"RAADSINZICHT_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "raadsinzicht.cli", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)  # polling interval of the readiness probe
        folders = list(Path(tempfile.gettempdir()).glob(f"raadsinzicht-web-{process.pid}-*"))
        assert len(folders) == 1 and stat.S_IMODE(folders[0].stat().st_mode) == 0o700
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert not folders[0].exists()
