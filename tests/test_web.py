"""The web interface in a real browser: Playwright drives Debian's Chromium against
``raadsinzicht serve`` subprocesses on 127.0.0.1, with the fake Ollama server as the model.

Two servers start in parallel, each with its own data directory: the normal one and one
with a user configured (login). Both start while the fake Ollama lacks the chat model, so
both prove the interface starts without a language model; tests that need answers add the
model (the banner goes away on the next page load). Screenshots go to each test's tmp_path.
No fixed sleeps: every step waits for a condition. The helpers' unit tests at the bottom
need no browser.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pymupdf
import pytest

from raadsinzicht.answer import FLAG, REFUSAL, Answer
from raadsinzicht.audit import AuditLog
from raadsinzicht.engine import build_engine
from raadsinzicht.extractive import ExtractiveAnswer
from raadsinzicht.settings import load_settings
from raadsinzicht.users import hash_password

from .fake_ollama import NOT_FOUND_ANSWER, FakeOllama, default_responder
from .letters import letter_secrets, logged_text, objection_letter, write_letter
from .pdfs import long_text, motie_text, write_pdf

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the [test] extra installs playwright
    expect = sync_playwright = None  # type: ignore[assignment]

CHROMIUM = Path("/usr/bin/chromium")


def browser_test(test: Callable[..., None]) -> Callable[..., None]:
    """Marked ``browser``; skipped (with the reason) only when Chromium is not installed."""
    skip = pytest.mark.skipif(
        not CHROMIUM.exists() or sync_playwright is None,
        reason="Chromium ontbreekt (/usr/bin/chromium): installeer met `apt-get install "
        "chromium` of draai `bash scripts/setup.sh --test`",
    )
    return pytest.mark.browser(skip(test))


MODEL = "gemma3:4b"
EMBEDDER = "bge-m3"
USER, PASSWORD = "tester", "Geheim-wachtwoord-1"
# The login server is also opened under a department host name, as the README sets it up;
# another intranet host of the same site serves the attacker's page.
APP_HOST, OTHER_HOST = "raadsinzicht.gemeente.test", "andere-app.gemeente.test"
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP *.gemeente.test 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 150  # both servers import gradio at the same time on a slow CI machine
WAIT_MS = 30_000
PRIVACY_MS = 180_000  # the first redaction or intake loads deduce in the server (~15-80 s)
if expect is not None:
    expect.set_options(timeout=WAIT_MS)

RAADSVOORSTEL = (
    "Raadsvoorstel\n\nOnderwerp: fietsparkeren bij het station\n\n"
    "De raad van de gemeente Den Haag, gelezen het voorstel van het college van 4 februari "
    "2025, besluit: een krediet van 2 miljoen euro beschikbaar te stellen voor 3000 extra "
    "fietsparkeerplaatsen bij het station."
)


@dataclass
class Server:
    name: str
    url: str
    home: Path
    inbox: Path
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_inbox(inbox: Path) -> None:
    write_pdf(
        inbox / "moties" / "motie-sleutelgeld.pdf",
        [
            motie_text(
                "het sleutelgeld voor studenten",
                "SP",
                "Sleutelgeld is verboden bij de verhuur van kamers aan studenten.",
            )
        ],
    )
    write_pdf(
        inbox / "raadsvoorstellen" / "raadsvoorstel-fietsparkeren.pdf",
        [RAADSVOORSTEL, *long_text("fietsparkeren bij het station")],
    )


def _pre_ingest(home: Path, inbox: Path) -> None:
    """Index the inbox via the library, keyword only (fast; no vectors needed)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("RAADSINZICHT_"):
                patch.delenv(name)
        patch.chdir(home.parent)
        engine = build_engine(load_settings(home=home, ingest_dir=inbox))
        try:
            report = engine.ingest(embed=False)
        finally:
            engine.close()
    assert report.documents == 2 and not report.failed, report.to_dict()


def _serve_command() -> list[str]:
    script = Path(sys.executable).with_name("raadsinzicht")
    return [str(script)] if script.exists() else [sys.executable, "-m", "raadsinzicht.cli"]


def _start(name: str, root: Path, ollama_url: str, **extra: str) -> Server:
    home, inbox = root / "home", root / "inbox"
    _make_inbox(inbox)
    _pre_ingest(home, inbox)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAADSINZICHT_", "GRADIO_"))}
    env.update(
        RAADSINZICHT_HOME=str(home),
        RAADSINZICHT_INGEST_DIR=str(inbox),
        RAADSINZICHT_LLM__PROVIDER="ollama",
        RAADSINZICHT_LLM__OLLAMA_URL=ollama_url,
        RAADSINZICHT_LLM__OLLAMA_MODEL=MODEL,
        RAADSINZICHT_LLM__TIMEOUT="20",
        RAADSINZICHT_EMBEDDING__PROVIDER="ollama",
        RAADSINZICHT_EMBEDDING__OLLAMA_URL=ollama_url,
        RAADSINZICHT_EMBEDDING__OLLAMA_MODEL=EMBEDDER,
        GRADIO_TEMP_DIR=str(root / "gradio-tmp"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    log = root / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*_serve_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(name, f"http://127.0.0.1:{port}/", home, inbox, process, log)


def _wait_ready(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"server {server.name} stopte (code {server.process.returncode}):\n"
                f"{server.output()}"
            )
        try:
            with urllib.request.urlopen(server.url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)  # polling interval of the readiness probe, not a fixed wait
    pytest.fail(f"server {server.name} startte niet binnen {STARTUP_SECONDS} s:\n{server.output()}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        # SIGTERM, as a service manager stops it: a test run started in the background
        # by a shell has SIGINT ignored, and so has every server it starts.
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOllama]:
    """The fake Ollama, at first with the embedding model only: no chat model."""
    with FakeOllama(models=(EMBEDDER,)) as server:
        yield server


@pytest.fixture
def with_model(fake: FakeOllama) -> Iterator[FakeOllama]:
    """The chat model is available during the test."""
    fake.models.append(MODEL)
    try:
        yield fake
    finally:
        fake.models.remove(MODEL)
        fake.responder = default_responder
        fake.reply = None


@pytest.fixture(scope="module")
def servers(
    fake: FakeOllama, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Server]]:
    if not CHROMIUM.exists() or sync_playwright is None:
        pytest.skip("Chromium ontbreekt (/usr/bin/chromium)")
    config = tmp_path_factory.mktemp("config") / "raadsinzicht.toml"
    config.write_text(
        f'[web]\nallowed_hosts = ["{APP_HOST}"]\n'
        f'[web.users]\n{USER} = "{hash_password(PASSWORD)}"\n',
        encoding="utf-8",
    )
    started = [
        _start("main", tmp_path_factory.mktemp("main"), fake.url),
        _start(
            "login", tmp_path_factory.mktemp("login"), fake.url, RAADSINZICHT_CONFIG=str(config)
        ),
    ]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for server in started:
            _wait_ready(server, deadline)
        yield {server.name: server for server in started}
    finally:
        for server in started:
            _stop(server)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A Dutch browser tab; fails the test if the page contacts anything but 127.0.0.1."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    outside: list[str] = []
    tab.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    yield tab
    context.close()
    assert not outside, f"de pagina nam contact op met andere servers: {outside}"


def _open(page: Any, server: Server) -> None:
    page.goto(server.url)
    expect(page.get_by_role("tab", name="Vragen")).to_be_visible()


def _ask(page: Any, question: str) -> None:
    box = page.get_by_label("Uw vraag")
    box.fill(question)
    box.press("Enter")  # keyboard: Enter sends the question


# -- tests ----------------------------------------------------------------------------------


@browser_test
def test_ask_streams_cited_answer_and_shows_highlighted_source_page(
    page: Any, servers: dict[str, Server], with_model: FakeOllama, tmp_path: Path
) -> None:
    server = servers["main"]
    _open(page, server)
    expect(page.locator("#llm-banner")).to_be_hidden()
    page.locator("#gesprek").wait_for()
    # Record every rendering of the conversation, to see the answer arrive in pieces.
    page.evaluate(
        """() => { window.__chat = []; const root = document.querySelector('#gesprek');
        new MutationObserver(() => window.__chat.push(root.innerText))
          .observe(root, {subtree: true, childList: true, characterData: true}); }"""
    )
    _ask(page, "Wat vraagt de motie over het sleutelgeld voor studenten?")

    citation = page.get_by_role("radio", name=re.compile(r"^\s*\[1\] Motie"))
    expect(citation).to_be_visible()
    answer = page.locator("#gesprek")
    expect(answer).to_contain_text("verzoekt het college")  # from the sources, at once
    expect(answer).to_contain_text("[1]")
    expect(answer).to_contain_text("— klaar")  # the model's status line: it is done
    renders = page.evaluate("window.__chat")
    assert any("▌" in text or "leest de bronnen" in text for text in renders), (
        "het antwoord van het model verscheen niet in delen"
    )
    assert "▌" not in answer.inner_text()
    page.screenshot(path=tmp_path / "vragen-antwoord.png", full_page=True)

    citation.check()
    image = page.locator("#bronpagina img")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("alt", re.compile("geciteerde passage"))
    assert image.evaluate("img => img.naturalWidth") > 500
    details = page.locator("#bron-details")
    expect(details).to_contain_text("Motie")
    expect(details).to_contain_text("pagina 1")
    page.screenshot(path=tmp_path / "vragen-bronpagina.png", full_page=True)

    # "Open de originele PDF op pagina N": an indexed document, served inline at that page.
    link = details.get_by_role("link", name=re.compile("Open de originele PDF"))
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"raadsinzicht/pdf/[0-9a-f]{64}#page=1", href), href
    pdf = page.request.get(server.url + href.split("#")[0])
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    # Nothing else is served: unknown ids, traversal attempts, inbox files via gradio.
    for path in (
        "raadsinzicht/pdf/" + "0" * 64,
        "raadsinzicht/pdf/..%2F..%2Fetc%2Fpasswd",
        f"gradio_api/file={server.inbox / 'moties' / 'motie-sleutelgeld.pdf'}",
        "gradio_api/file=/etc/passwd",
    ):
        assert page.request.get(server.url + path).status in (403, 404), path


@browser_test
def test_refusals_and_flagged_sentences(
    page: Any, servers: dict[str, Server], with_model: FakeOllama, tmp_path: Path
) -> None:
    _open(page, servers["main"])
    chat = page.locator("#gesprek")
    # No sentence in the documents answers: a refusal, and the model is not asked.
    asked = len(with_model.generation_requests())
    _ask(page, "Hoeveel kost een ijsbaan op de maan?")
    expect(chat).to_contain_text("Geen antwoord gevonden")
    expect(chat).to_contain_text("Dit staat niet in de geïndexeerde documenten.")
    assert len(with_model.generation_requests()) == asked
    page.screenshot(path=tmp_path / "vragen-weigering.png", full_page=True)
    # The sentences from the sources answer, the model finds nothing: both are said.
    # (Not a "hoeveel" question: one without an amount in the quotes is refused outright.)
    with_model.reply = NOT_FOUND_ANSWER
    page.get_by_role("button", name="Nieuw gesprek").click()
    _ask(page, "Wat zegt de motie over het sleutelgeld voor de ijsbaan op de maan?")
    expect(chat).to_contain_text("geen antwoord dat de bronnen onderbouwen")
    expect(chat).to_contain_text("Antwoord uit de bronnen")
    source = page.get_by_role("radio", name=re.compile("Motie het sleutelgeld"))
    expect(source).to_be_visible()
    source.check()
    expect(page.locator("#bronpagina img")).to_be_visible()

    # A sentence the sources do not support is marked, not shown as fact.
    with_model.reply = (
        "De raad verzoekt het college om het sleutelgeld voor studenten te onderzoeken [1]. "
        "De burgemeester trad daarna af na een schandaal over de begroting [1]."
    )
    page.get_by_role("button", name="Nieuw gesprek").click()
    _ask(page, "Wat vraagt de motie over het sleutelgeld voor studenten?")
    expect(page.get_by_role("radio", name=re.compile(r"^\s*\[1\]"))).to_be_visible()
    expect(chat).to_contain_text("niet onderbouwd: De burgemeester trad daarna af")
    expect(chat).to_contain_text("1 zin is niet onderbouwd")
    expect(chat).not_to_contain_text("Geen antwoord gevonden")
    page.screenshot(path=tmp_path / "vragen-niet-onderbouwd.png", full_page=True)


@browser_test
def test_search_with_kind_filter(page: Any, servers: dict[str, Server], tmp_path: Path) -> None:
    _open(page, servers["main"])
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekvraag").fill("gemeente")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    results = page.locator("#zoekresultaten li")
    expect(results.first).to_be_visible()
    kinds = {results.nth(i).get_attribute("data-kind") for i in range(results.count())}
    assert kinds == {"motie", "raadsvoorstel"}, kinds
    expect(page.locator("#zoekresultaten mark").first).to_have_text(re.compile("gemeente", re.I))
    expect(page.locator("#zoekpagina img")).to_be_visible()  # preview of the first result
    # The page image really loaded (served from Gradio's cache, not a broken link).
    page.wait_for_function(
        "() => { const i = document.querySelector('#zoekpagina img');"
        " return i && i.complete && i.naturalWidth > 400; }"
    )
    second = results.nth(1).locator("h3").inner_text().split(". ", 1)[1]
    page.get_by_role("radio", name=re.compile(r"^\s*2\. ")).check()
    expect(page.locator("#zoek-details")).to_contain_text(second)

    kind = page.get_by_role("combobox", name="Documentsoort")
    kind.click()
    kind.fill("Motie")
    page.get_by_role("option", name="Motie", exact=True).click()
    page.get_by_label("Zoekvraag").press("Enter")
    expect(results).to_have_count(1)
    assert results.first.get_attribute("data-kind") == "motie"
    expect(results.first).to_contain_text("Motie het sleutelgeld voor studenten")
    expect(page.locator("#zoek-details")).to_contain_text("Motie het sleutelgeld")  # new preview
    expect(page.locator("#zoekpagina img")).to_be_visible()
    page.screenshot(path=tmp_path / "zoeken-motie.png", full_page=True)


@browser_test
def test_upload_pdfs_with_a_status_per_file(
    page: Any, servers: dict[str, Server], tmp_path: Path
) -> None:
    server = servers["main"]
    _open(page, server)
    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("#documenten")).to_contain_text("2 geïndexeerde documenten")
    good = write_pdf(tmp_path / "bomen.pdf", [motie_text("de bomenkap in het stadspark", "PvdD")])
    page.locator("#upload input[type=file]").set_input_files(
        [
            # A hostile name: only the sanitised base name may reach the inbox.
            {
                "name": "../../buiten/bomen motie?.pdf",
                "mimeType": "application/pdf",
                "buffer": good.read_bytes(),
            },
            {"name": "notitie.txt", "mimeType": "text/plain", "buffer": b"geen pdf"},
            {"name": "kapot.pdf", "mimeType": "application/pdf", "buffer": b"<html>nee</html>"},
        ]
    )
    expect(page.locator("#upload tbody tr")).to_have_count(3)  # uploads finished
    page.get_by_role("button", name="Uploaden en indexeren").click()

    status = page.locator("#upload-status")
    expect(status.locator("li")).to_have_count(3)
    expect(status.locator("li", has_text="bomen")).to_contain_text("Gelukt")
    expect(status.locator("li", has_text="notitie.txt")).to_contain_text("alleen PDF-bestanden")
    expect(status.locator("li", has_text="kapot.pdf")).to_contain_text("geen PDF-bestand")
    table = page.locator("#documenten")
    expect(table).to_contain_text("3 geïndexeerde documenten")
    expect(table).to_contain_text("bomenkap in het stadspark")
    page.screenshot(path=tmp_path / "documenten-upload.png", full_page=True)

    # Indexed by a background job, listed with the others.
    expect(page.locator("#taken")).to_contain_text(re.compile(r"Upload: .*bomen"))
    expect(page.locator("#taken tbody tr").first).to_contain_text("klaar")
    stored = sorted(p.relative_to(server.inbox).as_posix() for p in server.inbox.rglob("*.pdf"))
    assert "bomen motie.pdf" in stored, stored  # base name only, "?" dropped
    assert not any("kapot" in name or "notitie" in name for name in stored)
    assert not (server.inbox.parent / "buiten").exists()

    # The new document can be searched at once.
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekvraag").fill("bomenkap stadspark")
    page.get_by_label("Zoekvraag").press("Enter")
    expect(page.locator("#zoekresultaten li").first).to_contain_text("bomenkap")

    # Remove it again: out of the index, and out of the inbox (so a re-index keeps it out).
    page.get_by_role("tab", name="Documenten").click()
    remove = page.get_by_role("combobox", name="Document verwijderen")
    remove.click()
    remove.fill("bomenkap")
    page.get_by_role("option", name=re.compile("bomenkap")).click()
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.locator("#beheer-status")).to_contain_text("verwijderd uit de index")
    expect(table).to_contain_text("2 geïndexeerde documenten")
    trash = [path.name for path in (server.home / "prullenbak").iterdir()]
    assert len(trash) == 1 and trash[0].endswith("bomen motie.pdf"), trash
    assert not (server.inbox / "bomen motie.pdf").exists()
    page.get_by_role("button", name="Invoermap opnieuw indexeren").click()
    expect(page.locator("#beheer-status")).to_contain_text("0 nieuw")
    expect(page.locator("#beheer-status")).to_contain_text("0 mislukt")
    expect(table).to_contain_text("2 geïndexeerde documenten")


@browser_test
def test_summary_with_downloads(
    page: Any, servers: dict[str, Server], with_model: FakeOllama, tmp_path: Path
) -> None:
    def summarise(body: dict[str, Any]) -> str:
        text = "\n".join(str(m.get("content") or "") for m in body.get("messages") or [])
        found = re.search(r"\[p\. (\d+)\] ([^.\n]{20,}?)[.\n]", text)
        if not found:
            return default_responder(body)
        return f"- {found.group(2).strip()} [p. {found.group(1)}]"

    with_model.responder = summarise
    _open(page, servers["main"])
    page.get_by_role("tab", name="Samenvatten").click()
    document = page.get_by_role("combobox", name="Document")
    document.click()
    document.fill("fietsparkeren")
    page.get_by_role("option", name=re.compile("fietsparkeren bij het station")).click()
    page.get_by_role("button", name="Samenvatten").click()
    summary = page.locator("#samenvatting")
    expect(summary).to_contain_text(re.compile(r"\[p\. \d\]"))
    expect(summary.get_by_role("link", name=re.compile(r"p\. \d")).first).to_have_attribute(
        "href", re.compile(r"raadsinzicht/pdf/[0-9a-f]{64}#page=\d")
    )
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download als Markdown (.md)").click()
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Samenvatting: fietsparkeren bij het station")
    assert re.search(r"\[p\. \d\]", markdown) and "AI adviseert, de mens beslist" in markdown
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download als Word (.docx)").click()
    assert download_info.value.suggested_filename.endswith(".docx")
    assert Path(download_info.value.path()).read_bytes()[:2] == b"PK"
    page.screenshot(path=tmp_path / "samenvatten.png", full_page=True)


@browser_test
def test_login_and_audit_log_records_the_user(
    browser: Any, servers: dict[str, Server], with_model: FakeOllama, tmp_path: Path
) -> None:
    server = servers["login"]
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        page.goto(server.url)
        username = page.get_by_label("Gebruikersnaam")
        expect(username).to_be_visible()
        # Nothing but the login page without logging in, not even indexed PDFs.
        assert page.request.get(server.url + "raadsinzicht/pdf/" + "0" * 64).status == 401
        page.screenshot(path=tmp_path / "login.png", full_page=True)

        username.fill(USER)
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_text("Gebruikersnaam of wachtwoord onjuist.")).to_be_visible()
        expect(page.get_by_role("tab", name="Vragen")).to_have_count(0)

        page.get_by_label("Gebruikersnaam").fill(USER)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("tab", name="Vragen")).to_be_visible()
        expect(page.locator("#account")).to_contain_text(f"Ingelogd als {USER}")

        _ask(page, "Wat vraagt de motie over het sleutelgeld voor studenten?")
        citation = page.get_by_role("radio", name=re.compile(r"^\s*\[1\]"))
        expect(citation).to_be_visible()
        citation.check()
        link = page.locator("#bron-details").get_by_role("link")
        href = (link.get_attribute("href") or "").split("#")[0]
        assert page.request.get(server.url + href).status == 200  # logged in: served

        page.get_by_role("tab", name="Beheer / Over").click()
        page.get_by_label("Gebruiker").fill(USER)
        page.get_by_role("button", name="Auditlog tonen").click()
        row = page.locator("#auditlog tbody tr").first
        expect(row).to_contain_text(USER)
        expect(row).to_contain_text("sleutelgeld")
        page.screenshot(path=tmp_path / "beheer-auditlog.png", full_page=True)

        page.locator("#account").get_by_role("button", name="Uitloggen").click()
        expect(page.get_by_label("Gebruikersnaam")).to_be_visible()
    finally:
        context.close()
    audit = AuditLog(server.home / "audit.sqlite3")
    try:
        records = audit.records()
    finally:
        audit.close()
    logins = [(r.input, r.refused) for r in records if r.action == "login"]
    assert logins == [(USER, True), (USER, False)]  # the wrong password, then the right one
    # (The index was built before the server started: that record has no web user.)
    assert all(r.user == USER for r in records if r.action not in ("login", "reindex"))
    asked = [r for r in records if r.action == "ask"][-1]
    assert asked.citations and not asked.refused
    assert [r.action for r in records].count("pdf") == 1  # the PDF opened from the source


@browser_test
def test_without_model_the_interface_starts_and_says_what_to_start(
    page: Any, servers: dict[str, Server], tmp_path: Path
) -> None:
    _open(page, servers["main"])
    banner = page.locator("#llm-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("taalmodel is niet beschikbaar")
    expect(banner).to_contain_text("alleen uit de bronnen")  # asking still works
    expect(banner).to_contain_text(f"ollama pull {MODEL}")  # what to do
    page.screenshot(path=tmp_path / "zonder-model.png", full_page=True)
    # Search, documents and beheer work without a model.
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekvraag").fill("sleutelgeld")
    page.get_by_label("Zoekvraag").press("Enter")
    expect(page.locator("#zoekresultaten li").first).to_contain_text("sleutelgeld")
    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("#documenten")).to_contain_text("Motie het sleutelgeld voor studenten")
    page.get_by_role("tab", name="Beheer / Over").click()
    expect(page.locator("#over")).to_contain_text("niet beschikbaar")


def _pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


@browser_test
def test_redaction_shows_a_preview_before_download(
    page: Any, servers: dict[str, Server], tmp_path: Path
) -> None:
    server = servers["main"]
    letter = write_letter(tmp_path / "bezwaar-dakkapel.pdf", objection_letter("tijdig"))
    _open(page, server)
    page.get_by_role("tab", name="Documenten").click()
    page.locator("#lak-upload input[type=file]").set_input_files(str(letter))
    # (Gradio shows name and extension in two spans: innerText may put a space between.)
    expect(page.locator("#lak-upload")).to_contain_text(re.compile(r"bezwaar-dakkapel\s*\.pdf"))
    download_pdf = page.get_by_role("button", name="Download gelakte PDF")
    expect(download_pdf).to_be_hidden()  # nothing to download before the preview
    page.get_by_role("button", name="Lakken en voorbeeld tonen").click()

    status = page.locator("#lak-status")
    expect(status).to_contain_text("gelakt op 2 van 2 pagina's", timeout=PRIVACY_MS)
    expect(page.locator("#lak-voorbeeld img")).to_have_count(2)
    report = page.locator("#lak-verslag")
    expect(report).to_contain_text("burgerservicenummer")
    expect(report).to_contain_text("5.1.1e")  # the BSN's own ground
    expect(report).to_contain_text("5.1.2e")
    page.screenshot(path=tmp_path / "lakken.png", full_page=True)

    with page.expect_download() as download_info:
        download_pdf.click()
    redacted = _pdf_text(Path(download_info.value.path()))
    for secret in letter_secrets("tijdig"):
        assert secret not in redacted, secret
    assert "omgevingsplan" in redacted and "Z-2025-004512" in redacted
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download lakverslag (.csv)").click()
    rows = Path(download_info.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("pagina,soort,gemaskeerd,woo_grond") and len(rows) > 5
    report_text = "\n".join(rows)
    # The audit log says what was redacted where, never the values.
    audit = AuditLog(server.home / "audit.sqlite3")
    try:
        records = [r for r in audit.records() if r.action == "redact"]
    finally:
        audit.close()
    assert records and records[-1].input == "bezwaar-dakkapel.pdf"
    assert {s["type"] for s in records[-1].sources} >= {"PERSOON", "BSN", "IBAN"}
    logged = logged_text([records[-1].to_dict()])
    for secret in letter_secrets("tijdig"):
        assert secret not in report_text and secret not in logged, secret


@browser_test
def test_bezwaar_intake_view_sends_no_personal_data(
    page: Any, servers: dict[str, Server], with_model: FakeOllama, tmp_path: Path
) -> None:
    letter = write_letter(tmp_path / "bezwaar-woz.pdf", objection_letter("te laat"))
    _open(page, servers["main"])
    page.get_by_role("tab", name="Bezwaar").click()
    page.locator("#bezwaar-upload input[type=file]").set_input_files(str(letter))
    expect(page.locator("#bezwaar-upload")).to_contain_text(re.compile(r"bezwaar-woz\s*\.pdf"))
    page.get_by_label("Gronden en verzoek laten herformuleren door het taalmodel").check()
    asked_before = len(with_model.generation_requests())
    page.get_by_role("button", name="Intake maken").click()

    intake = page.locator("#bezwaar-intake")
    expect(intake).to_contain_text("Oordeel: te laat", timeout=PRIVACY_MS)
    expect(intake).to_contain_text("3 februari 2025 (p. 1)")  # the WOZ-beschikking
    expect(intake).to_contain_text("3 april 2025 (p. 1)")  # received
    expect(intake).to_contain_text("[PERSOON-")
    expect(intake).to_contain_text("Concept: een jurist controleert deze intake")
    page.screenshot(path=tmp_path / "bezwaar.png", full_page=True)
    shown = intake.inner_text()
    sent = json.dumps(with_model.generation_requests()[asked_before:], ensure_ascii=False)
    assert len(with_model.generation_requests()) > asked_before, "the model was not asked"
    for secret in letter_secrets("te laat"):
        assert secret not in shown and secret not in sent, secret
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download intake (.json)").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["termijn"]["oordeel"] == "te laat"
    assert data["model"] == f"ollama/{MODEL}"


@browser_test
def test_accessibility_basics(page: Any, servers: dict[str, Server], tmp_path: Path) -> None:
    """Dutch page language, every visible input labelled, keyboard reachable tabs,
    readable contrast of text and buttons (WCAG 2.1 AA: 4.5:1)."""
    _open(page, servers["main"])
    assert page.evaluate("document.documentElement.lang") == "nl"
    for tab in ("Vragen", "Zoeken", "Samenvatten", "Documenten", "Bezwaar", "Beheer / Over"):
        page.get_by_role("tab", name=tab).click()
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input, textarea, select')]
              .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                           && !e.getAttribute('aria-labelledby'))
              .map(e => e.outerHTML.slice(0, 120))"""
        )
        assert not unlabelled, (tab, unlabelled)
    # Keyboard: the tab list is reachable and operable without a mouse.
    page.get_by_role("tab", name="Beheer / Over").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name="Bezwaar")).to_have_attribute("aria-selected", "true")

    contrast = """() => {
      const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
      const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e)
        .backgroundColor; if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent')
        return c; } return 'rgb(255, 255, 255)'; };
      const ratio = e => { const a = lum(getComputedStyle(e).color), b = lum(bg(e));
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
      const pick = [...document.querySelectorAll(
        'button, [role=tab], label, p, h1, h2, h3, a, th, td, [data-testid=block-info]')]
        .filter(e => e.offsetParent !== null && e.innerText.trim());
      return pick.map(e => [e.innerText.trim().slice(0, 40), ratio(e)]);
    }"""
    for tab in ("Documenten", "Bezwaar", "Beheer / Over", "Zoeken", "Samenvatten", "Vragen"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        low = [(text, round(ratio, 2)) for text, ratio in page.evaluate(contrast) if ratio < 4.5]
        assert not low, (tab, low)
    page.screenshot(path=tmp_path / "vragen-leeg.png", full_page=True)


ATTACKER_PAGE = """<!doctype html><html><body><p id="uitkomst">bezig</p><script>
const app = %(app)s;
const attempts = {
  config: () => fetch(app + "config", {credentials: "include"}),
  info: () => fetch(app + "gradio_api/info", {credentials: "include"}),
  search: () => fetch(app + "gradio_api/call/search", {method: "POST", credentials: "include",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({data: ["sleutelgeld", 10, [], "", "", [], []]})}),
  pdf: () => fetch(app + "raadsinzicht/pdf/%(doc_id)s", {credentials: "include"}),
};
(async () => {
  const out = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      const response = await attempt();
      out[name] = {status: response.status, read: (await response.text()).slice(0, 300)};
    } catch (error) {
      out[name] = {error: String(error)};
    }
  }
  // Blind writes (no response needed): log the user out, start a re-index.
  await fetch(app + "logout", {method: "POST", mode: "no-cors", credentials: "include"})
    .catch(() => null);
  await fetch(app + "gradio_api/queue/join", {method: "POST", mode: "no-cors",
    credentials: "include", body: "{}"}).catch(() => null);
  const shown = document.querySelector("#uitkomst");
  shown.dataset.result = JSON.stringify(out);
  shown.textContent = "klaar";
})();
</script></body></html>"""


@contextmanager
def _page_server(html: str) -> Iterator[int]:
    """A web server on 127.0.0.1 serving one page (another application on the intranet)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


@browser_test
def test_another_intranet_page_cannot_read_the_app_with_a_users_cookie(
    browser: Any, servers: dict[str, Server], tmp_path: Path
) -> None:
    """The app under a department host name, a logged-in user, and a page on another host
    of the same site (its requests carry the user's cookie): it can neither read anything
    nor log the user out."""
    server = servers["login"]
    app_url = f"http://{APP_HOST}:{urlsplit(server.url).port}/"
    engine = build_engine(load_settings(home=server.home, ingest_dir=server.inbox))
    try:
        doc_id = engine.documents()[0].doc_id
    finally:
        engine.close()
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        page.goto(app_url)
        page.get_by_label("Gebruikersnaam").fill(USER)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("tab", name="Vragen")).to_be_visible()
        own = "async () => (await fetch('config', {credentials: 'include'})).status"
        assert page.evaluate(own) == 200

        html = ATTACKER_PAGE % {"app": json.dumps(app_url), "doc_id": doc_id}
        with _page_server(html) as port:
            other = context.new_page()
            sent: list[tuple[dict[str, str], int]] = []  # responses the page could see

            def answered(response: Any) -> None:
                if APP_HOST in response.url:
                    sent.append((response.request.all_headers(), response.status))

            other.on("response", answered)
            other.goto(f"http://{OTHER_HOST}:{port}/")
            expect(other.locator("#uitkomst")).to_have_text("klaar")
            result = json.loads(other.locator("#uitkomst").get_attribute("data-result") or "{}")
            other.screenshot(path=tmp_path / "andere-pagina.png")
        assert set(result) == {"config", "info", "search", "pdf"}
        for name, outcome in result.items():
            # The browser withholds every response (no CORS permission): nothing read.
            assert "error" in outcome and "read" not in outcome, (name, outcome)
        # The blind writes reached the app and were refused (the browser reports their
        # opaque responses); the server log shows every refusal, and that the user's cookie
        # went along (same site): the guard refused them, not the browser.
        assert [status for _, status in sent] == [403, 403]
        refusals = [line for line in server.output().splitlines() if "geweigerd:" in line]
        assert all(f"vanaf http://{OTHER_HOST}" in line for line in refusals), refusals
        # The JSON search was stopped at its preflight (OPTIONS, which carries no cookie);
        # the five other requests carried the user's cookie.
        assert sum("geweigerd: OPTIONS /gradio_api/call/search" in r for r in refusals) == 1
        requests = [line for line in refusals if "geweigerd: OPTIONS" not in line]
        assert len(requests) == 5 and all("met sessiecookie" in r for r in requests), requests
        assert page.evaluate(own) == 200  # still logged in: the blind logout was refused
    finally:
        context.close()


@browser_test
def test_a_stop_ends_the_app_while_a_page_is_open(
    fake: FakeOllama, page: Any, tmp_path: Path
) -> None:
    """An open page holds an event stream, and uvicorn waited for every stream to end: a
    stop (SIGTERM, or Ctrl+C, which takes the same path) took 6 s with one tab open
    (Gradio stops waiting after 5 s). The streams now get a 1 s grace period."""
    server = _start("stop", tmp_path, fake.url)
    try:
        _wait_ready(server, time.monotonic() + STARTUP_SECONDS)
        _open(page, server)
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        seconds = time.monotonic() - started
    finally:
        _stop(server)
    output = server.output()
    assert server.process.returncode == 0, output
    assert seconds < 4, f"de app stopte pas na {seconds:.1f} s"
    assert "Traceback" not in output and "Error" not in output, output


@browser_test
def test_html_and_images_in_model_output_are_shown_as_text(
    page: Any, servers: dict[str, Server], with_model: FakeOllama
) -> None:
    """Model output with an image tag and a Markdown image pointing elsewhere: shown as
    text; the browser fetches nothing (the page fixture fails on any outside request)."""
    with_model.reply = (
        "De raad verzoekt het college om het sleutelgeld voor studenten te onderzoeken [1]. "
        'Zie <img src="http://203.0.113.9/pixel.png"> en ![x](http://203.0.113.9/p.png).'
    )
    _open(page, servers["main"])
    _ask(page, "Wat vraagt de motie over het sleutelgeld voor studenten?")
    chat = page.locator("#gesprek")
    expect(page.get_by_role("radio", name=re.compile(r"^\s*\[1\]"))).to_be_visible()
    expect(chat).to_contain_text('<img src="http://203.0.113.9/pixel.png">')
    assert chat.locator("img[src*='203.0.113.9']").count() == 0


# -- helpers, no browser ----------------------------------------------------------------


def test_sanitize_filename() -> None:
    from raadsinzicht.inbox import sanitize_filename

    assert sanitize_filename("../../etc/motie.pdf") == "motie.pdf"
    assert sanitize_filename("..\\..\\Windows\\Motie 12 (def).PDF") == "Motie 12 (def).pdf"
    assert sanitize_filename("raads<voorstel>|*?.pdf") == "raads_voorstel.pdf"
    assert sanitize_filename("...pdf") == "document.pdf"
    assert sanitize_filename(".verborgen.pdf") == "verborgen.pdf"
    assert sanitize_filename("notitie.txt") is None
    assert sanitize_filename("geen-extensie") is None
    assert sanitize_filename("motie.pdf.exe") is None
    assert len(sanitize_filename("x" * 500 + ".pdf") or "") <= 124


def test_sanitize_collection() -> None:
    from raadsinzicht.inbox import sanitize_collection

    assert sanitize_collection(None) == sanitize_collection("algemeen") == ""
    assert sanitize_collection("moties") == "moties"
    assert sanitize_collection("../../etc") == "etc"
    assert sanitize_collection("..") == ""


def test_snippet_html_marks_terms_and_escapes() -> None:
    from raadsinzicht.web.format import snippet_html

    assert snippet_html("de **motie** <b>x</b> & **sleutelgeld**") == (
        "de <mark>motie</mark> &lt;b&gt;x&lt;/b&gt; &amp; <mark>sleutelgeld</mark>"
    )


def _answer(**fields: Any) -> Answer:
    base: dict[str, Any] = {
        "question": "v",
        "text": "",
        "citations": [],
        "refused": False,
        "sources": [],
        "model": "m",
        "prompt_template": "vraag",
        "prompt_sha256": "0",
    }
    return Answer(**(base | fields))


def test_answer_markdown_marks_flags_and_refusals() -> None:
    from raadsinzicht.web.format import answer_markdown

    text = answer_markdown(
        _answer(
            text=f"De raad stemde in [1]. {FLAG} De burgemeester trad af.",
            flagged=["De burgemeester trad af."],
        )
    )
    assert "**[1]**" in text and "⚠ **niet onderbouwd:** De burgemeester" in text
    assert "1 zin is niet onderbouwd" in text
    refusal = answer_markdown(_answer(text=REFUSAL, refused=True))
    assert refusal.startswith("⚠ **Geen antwoord gevonden.**") and REFUSAL in refusal
    # A refusal that can say why does so (a question about another municipality).
    why = "De gevonden documenten gaan niet over Rotterdam."
    extractive = ExtractiveAnswer("v", None, None, [], True, 0.0, reason=why)
    shown = answer_markdown(_answer(text=f"{REFUSAL} {why}", refused=True, extractive=extractive))
    assert f"{REFUSAL} {why}" in shown


def test_dutch_date() -> None:
    from raadsinzicht.web.format import dutch_date

    assert dutch_date(date(2025, 3, 13)) == "13 maart 2025"
    assert dutch_date(None) == "datum onbekend"


def test_upload_checks(tmp_path: Path) -> None:
    from raadsinzicht.inbox import free_target, pdf_problem

    good = write_pdf(tmp_path / "a.pdf", ["Tekst."])
    assert pdf_problem(good, 1) is None
    assert "alleen PDF" in (pdf_problem(good, 1, name="a.txt") or "")
    big = tmp_path / "groot.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert "te groot" in (pdf_problem(big, 1) or "")
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    assert pdf_problem(empty, 1) == "het bestand is leeg"
    fake = tmp_path / "nep.pdf"
    fake.write_bytes(b"MZ\x90\x00 niet echt")
    assert "geen PDF" in (pdf_problem(fake, 1) or "")
    assert "niet gelezen" in (pdf_problem(tmp_path / "weg.pdf", 1) or "")

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert free_target(inbox, "a.pdf", good) == inbox / "a.pdf"
    (inbox / "a.pdf").write_bytes(good.read_bytes())
    assert free_target(inbox, "a.pdf", good) == inbox / "a.pdf"  # same bytes: reused
    other = write_pdf(tmp_path / "b.pdf", ["Andere tekst."])
    assert free_target(inbox, "a.pdf", other) == inbox / "a (2).pdf"


def test_summary_exports(tmp_path: Path) -> None:
    from docx import Document

    from raadsinzicht.summarize import Summary
    from raadsinzicht.web.format import summary_docx, summary_markdown

    summary = Summary(
        file="raadsvoorstellen/fiets.pdf",
        title="Fietsparkeren",
        template="algemeen",
        text=f"- Er komen 3000 plekken [p. 1]\n- {FLAG} De wethouder trad af.",
        pages_cited=[1],
        flagged=["De wethouder trad af."],
        model="ollama/gemma3:4b",
        prompt_sha256="0",
        parts=1,
    )
    markdown = summary_markdown(summary)
    assert markdown.startswith("# Samenvatting: Fietsparkeren\n")
    assert "- Er komen 3000 plekken [p. 1]" in markdown
    assert "**[niet onderbouwd]** De wethouder" in markdown
    assert "AI adviseert, de mens beslist" in markdown
    document = Document(str(summary_docx(summary, tmp_path / "s.docx")))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "Samenvatting: Fietsparkeren"
    assert "Er komen 3000 plekken [p. 1]" in texts
    flagged = next(p for p in document.paragraphs if "wethouder" in p.text)
    assert flagged.runs[0].text == "[niet onderbouwd]" and flagged.runs[0].font.highlight_color
    assert texts[-1] == "AI adviseert, de mens beslist: controleer altijd de bronnen."


def test_html_from_file_names_and_titles_is_text() -> None:
    from raadsinzicht.index.catalog import DocumentRecord
    from raadsinzicht.web.format import documents_html, status_list_html

    hostile = "<img src=x onerror=alert(5)>.pdf"
    lines = status_list_html([(False, hostile, "<b>kapot</b>"), (True, "goed.pdf", "ok")])
    assert "<img" not in lines and "&lt;img src=x onerror=alert(5)&gt;.pdf" in lines
    assert "&lt;b&gt;kapot&lt;/b&gt;" in lines and lines.count("<li>") == 2
    document = DocumentRecord(
        doc_id="a" * 64, kind="motie", title="<script>alert(1)</script>", date=date(2025, 3, 13),
        organisation=None, registration_number=None, parties=[], outcome=None, pages=1,
        ocr_pages=0, skipped_pages=0, chunks=1, page_labels=["1"], fingerprint="x",
        files=[f"moties/{hostile}"], collections=["moties"],
    )  # fmt: skip
    table = documents_html([document])
    assert "<script>" not in table and "&lt;script&gt;" in table and "<img" not in table
    assert f'href="raadsinzicht/pdf/{"a" * 64}#page=1"' in table


def test_job_status_shows_each_uploaded_file_as_the_job_goes() -> None:
    from raadsinzicht.jobs import Job
    from raadsinzicht.web.format import job_status_html

    files = [{"name": "bomen.pdf", "path": "/x/bomen.pdf", "created": True}]
    job = Job(
        id=7, kind="upload", description="Upload: bomen.pdf", status="running", user=None,
        params={"files": files}, stage="parse", done=0, total=1, detail="bomen.pdf",
        result=None, error=None, cancel_requested=False, pid=1, created="", started=None,
        finished=None,
    )  # fmt: skip
    running = job_status_html(job, [["notitie.txt", "alleen PDF-bestanden"]])
    assert "Bezig" in running and "taak 7" in running and "alleen PDF-bestanden" in running
    # How far it is, with the time left once the pace is known.
    job.done, job.total, job.remaining = 1, 3, 125.0
    running = job_status_html(job)
    assert "Lezen en knippen 1/3, nog ongeveer 2 minuten: bomen.pdf" in running
    job.done, job.total, job.remaining = 0, 1, None
    job.status = "done"
    job.result = {"files": [{"name": "bomen.pdf", "ok": True, "message": "geïndexeerd"}]}
    done = job_status_html(job, [["notitie.txt", "alleen PDF-bestanden"]])
    assert done.count("✓ Gelukt") == 1 and done.count("✗ Mislukt") == 1
    job.status, job.error = "cancelled", "Geannuleerd op verzoek."
    assert "Taak 7 geannuleerd: Geannuleerd op verzoek." in job_status_html(job)


def test_gradios_matplotlib_probe_no_longer_searches_the_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Gradio imports matplotlib around every event; a missing one was looked for on all
    # of sys.path each time, on the event loop.
    from raadsinzicht.web.app import skip_matplotlib_probe

    installed = importlib.util.find_spec("matplotlib") is not None
    searches: list[str] = []
    original = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        searches.append(name)
        return original(name, *args, **kwargs)

    try:
        skip_matplotlib_probe()
        monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)
        if installed:  # nothing to skip: matplotlib imports as usual
            import matplotlib
        else:
            with pytest.raises(ModuleNotFoundError):
                import matplotlib  # noqa: F401
            assert "matplotlib" not in searches
    finally:
        if sys.modules.get("matplotlib", 0) is None:
            del sys.modules["matplotlib"]
