"""The web views of issues 12, 13 and 14: feedback under answers, summaries and intakes;
Beheer → Impact (plots, CSV), the DPIA building block and purging for admins; Gradio's own
labels in Dutch whatever the browser's language; council filters, speakers in results and
the dossier timeline; controls and server paths for admins only.

One app runs in this process (127.0.0.1, a free port, with login for an admin and a
councillor) over PDFs made with PyMuPDF; handler tests call the tabs' handlers directly,
browser tests (Playwright + Debian's Chromium) drive the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.settings import Settings, load_settings
from raadsinzicht.users import hash_password

from . import test_web
from .fake_ollama import FakeOllama
from .pdfs import motie_text, write_pdf
from .test_council import write_council_documents
from .test_web import browser_test

browser = test_web.browser  # Chromium, one per module (the fixture of test_web)
MODEL = "gemma3:4b"
PASSWORD = "Lang-genoeg-wachtwoord-7"
ADMIN, COUNCILLOR = "beheerder", "raadslid"


def _settings(root: Path, ollama: FakeOllama) -> Settings:
    hashed = hash_password(PASSWORD)
    return load_settings(
        home=root / "home",
        ingest_dir=root / "ingest",
        embedding={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "bge-m3"},
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL},
        web={"users": {ADMIN: hashed, COUNCILLOR: hashed}},
        access={"groups": {"beheerders": [ADMIN]}, "admin_groups": ["beheerders"]},
    )


@pytest.fixture(scope="module")
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL, "bge-m3")) as server:
        yield server


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, ollama: FakeOllama) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp("webfeatures")
    inbox = root / "ingest"
    write_council_documents(inbox)
    write_pdf(
        inbox / "moties" / "motie-sleutelgeld.pdf",
        [motie_text("het sleutelgeld voor studenten", "SP", "Sleutelgeld is verboden.")],
    )
    engine = build_engine(_settings(root, ollama))
    try:
        report = engine.ingest(user=ADMIN)
        assert not report.failed and report.embedded == report.chunks
        yield engine
    finally:
        engine.close()


def _request(user: str) -> Any:
    return SimpleNamespace(username=user)


def _prop(update: Any, name: str) -> Any:
    """A property of a handler's component update (a component or a dict)."""
    return update[name] if isinstance(update, dict) else getattr(update, name)


def _download(update: Any) -> Path:
    """The file of a download button's update (Gradio keeps a copy in its cache)."""
    value = _prop(update, "value")
    return Path(value["path"] if isinstance(value, dict) else value)


@pytest.fixture(scope="module")
def app(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The tabs built over ``engine`` in a Blocks (not launched): their handlers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))
        yield _tabs(engine)


def _tabs(engine: Engine) -> dict[str, Any]:
    import gradio as gr

    from raadsinzicht.web.shell import Shell
    from raadsinzicht.web.tabs.admin import AdminTab
    from raadsinzicht.web.tabs.ask import AskTab
    from raadsinzicht.web.tabs.documents import DocumentsTab
    from raadsinzicht.web.tabs.dossier import DossierTab
    from raadsinzicht.web.tabs.search import SearchTab

    shell = Shell(engine)
    with gr.Blocks() as blocks:
        tabs = {
            "ask": AskTab(shell, None),
            "search": SearchTab(shell),
            "dossier": DossierTab(shell),
            "documents": DocumentsTab(shell),
            "admin": AdminTab(shell),
        }
        for tab in tabs.values():
            tab.wire()
    return {"shell": shell, "blocks": blocks, **tabs}


# -- handlers ---------------------------------------------------------------------------------


def test_every_gradio_locale_gets_the_dutch_labels() -> None:
    """The table covers Gradio's label keys, under every locale code the installed Gradio
    ships (its frontend's locale files), so no browser language falls through to English."""
    import gradio

    from raadsinzicht.web.app import launch_options
    from raadsinzicht.web.locale import GRADIO_LOCALES, dutch_labels

    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    shipped = {
        match.group(1)
        for path in assets.glob("*.js")
        if (match := re.fullmatch(r"([a-z]{2,3}(?:-[A-Z]{2})?)-[\w-]{8}\.js", path.name))
        and "as upload_text" in path.read_text(errors="replace")
    }
    assert shipped == set(GRADIO_LOCALES)
    labels = dutch_labels()
    for key, dutch in {
        "upload_text.drop_file": "Sleep een bestand hier",
        "upload_text.click_to_upload": "Klik om te uploaden",
        "common.or": "of",
        "common.loading": "Laden",
        "common.upload": "Uploaden",
        "chatbot.copy_message": "Bericht kopiëren",
    }.items():
        assert labels[key] == dutch
    i18n = launch_options()["i18n"]
    assert set(i18n.translations_dict) == set(GRADIO_LOCALES)
    assert all(table == labels for table in i18n.translations_dict.values())


def test_feedback_on_an_answer_is_stored_and_checked(engine: Engine, app: dict[str, Any]) -> None:
    import gradio as gr

    panel = app["ask"].feedback
    answer = engine.ask("Wat vraagt de motie over het sleutelgeld?", user=COUNCILLOR)
    assert answer.audit_id is not None
    shown = panel.show(answer.audit_id)
    assert _prop(shown[0], "visible") is True and shown[1:] == (None, "", "")
    assert _prop(panel.show(None)[0], "visible") is False
    with pytest.raises(gr.Error, match="duim omhoog of duim omlaag"):
        panel.submit(answer.audit_id, None, "", _request(COUNCILLOR))
    status = panel.submit(answer.audit_id, "down", " Mist de datum. ", _request(COUNCILLOR))
    assert "opgeslagen" in status
    report = engine.impact(user=ADMIN)
    (entry,) = [f for f in report.feedback if f.record_id == answer.audit_id]
    assert (entry.verdict, entry.comment, entry.user) == ("down", "Mist de datum.", COUNCILLOR)
    # Another user cannot judge this councillor's answer.
    with pytest.raises(gr.Error, match="bestaat niet"):
        panel.submit(answer.audit_id, "up", "", _request("iemand-anders"))


def test_impact_for_admins_with_plots_and_csv(engine: Engine, app: dict[str, Any]) -> None:
    import gradio as gr

    admin = app["admin"]
    engine.ask("Wat zei de SP over parkeren?", user=COUNCILLOR)
    summary, usage, votes, hours, table, feedback, download = admin.impact(
        "", "", "week", _request(ADMIN)
    )
    report = engine.impact(user=ADMIN)
    assert "Bespaarde tijd (schatting)" in summary and "schatting" in summary
    this_week = usage[usage["periode"] == report.weeks[-1].period]
    questions = this_week[this_week["wat"] == "vragen"]["waarde"].tolist()
    assert questions == [report.weeks[-1].questions] and questions[0] >= 1
    assert set(hours["wat"]) == {"bespaard (schatting)"}
    assert set(votes["wat"]) <= {"duim omhoog", "duim omlaag"}
    assert "Per week" in table and "Beoordelingen" in feedback
    written = _download(download).read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(written)))
    assert rows[-1]["periode"] == report.weeks[-1].period
    assert int(rows[-1]["vragen"]) == report.weeks[-1].questions
    assert "bespaarde_uren_schatting" in rows[-1]
    monthly = admin.impact("", "", "month", _request(ADMIN))
    assert _download(monthly[-1]).name.endswith("-per-maand.csv")
    # The Engine refuses the councillor (who sees no Impact section either).
    with pytest.raises(gr.Error, match="Alleen beheerders"):
        admin.impact("", "", "week", _request(COUNCILLOR))
    with pytest.raises(gr.Error, match="is geen datum"):
        admin.impact("gisteren-ish", "", "week", _request(ADMIN))


def test_dpia_and_purge_for_admins(engine: Engine, app: dict[str, Any]) -> None:
    import gradio as gr

    admin = app["admin"]
    text, download = admin.make_dpia(_request(ADMIN))
    assert text.startswith("# DPIA-bouwsteen")
    assert _download(download).read_text() == text
    status = admin.purge("", _request(ADMIN))
    assert "0 auditrecords" in status  # everything here is younger than the retention
    assert engine.audit_records(user=ADMIN)[0].action == "purge"  # logged, newest first
    for handler in (lambda: admin.make_dpia(_request(COUNCILLOR)),
                    lambda: admin.purge("", _request(COUNCILLOR))):  # fmt: skip
        with pytest.raises(gr.Error, match="Alleen beheerders"):
            handler()


def test_controls_and_server_paths_for_admins_only(engine: Engine, app: dict[str, Any]) -> None:
    documents, admin = app["documents"], app["admin"]
    home, inbox = str(engine.settings.home), str(engine.settings.ingest_dir)
    for user, shown in ((ADMIN, True), (COUNCILLOR, False)):
        upload, manage = documents.admin_sections(_request(user))
        assert _prop(upload, "visible") is shown and _prop(manage, "visible") is shown
        about, impact, _ = admin.on_load(None, _request(user))
        assert _prop(impact, "visible") is shown
        assert (home in about) is shown and (inbox in about) is shown
        assert "documenten" in about


def test_search_with_a_party_filter_shows_the_speaker(app: dict[str, Any]) -> None:
    import gradio as gr

    search, shell = app["search"], app["shell"]
    empty: list[str] = []
    results, choice, items = search.search(
        "parkeren", 10, empty, "", "", empty, empty, ["SP"], empty, "", empty, "",
        _request(COUNCILLOR),
    )  # fmt: skip
    assert "Spreker: <strong>Lesley Arp (SP)</strong>" in results
    # A passage may hold other turns too, but the speaker shown is the SP member's turn.
    shown = re.findall(r"Spreker: <strong>(.*?)</strong>", results)
    assert shown and all(speaker.endswith("(SP)") for speaker in shown)
    assert items and _prop(choice, "value") == "1"
    # The choices come from the minutes: speakers with role and party, their parties.
    views = shell.catalog_views(_request(COUNCILLOR))
    outputs = shell.views.outputs()
    speakers = _prop(views[outputs.index(shell.views.speakers[0])], "choices")
    parties = _prop(views[outputs.index(shell.views.parties[0])], "choices")
    assert ("Lesley Arp (SP)", "Lesley Arp") in [tuple(c) for c in speakers]
    assert ("wethouder Balster (PvdA)", "Balster") in [tuple(c) for c in speakers]
    assert {"SP", "D66", "PvdA", "VVD"} <= {c[0] for c in parties}
    with pytest.raises(gr.Error, match="onbekende uitslag"):
        search.search(
            "parkeren", 10, empty, "", "", empty, empty, empty, empty, "", ["gewonnen"], "",
            _request(COUNCILLOR),
        )  # fmt: skip


def test_dossier_from_a_search_hit_is_a_timeline(app: dict[str, Any]) -> None:
    import gradio as gr

    search, dossier = app["search"], app["dossier"]
    empty: list[str] = []
    _, _, items = search.search(
        "korting parkeren bewoners", 10, ["motie"], "", "", empty, empty, empty, empty, "",
        empty, "", _request(COUNCILLOR),
    )  # fmt: skip
    number = next(n for n, item in enumerate(items, 1) if item["file"].endswith("korting.pdf"))
    tabs, document, query, html, votes = dossier.open_from(str(number), items, _request(COUNCILLOR))
    assert _prop(tabs, "selected") == "dossier" and document == items[number - 1]["doc_id"]
    assert query == ""
    cards = re.findall(r'<li class="ri-card( ri-start)?" data-kind="(\w+)">', html)
    assert cards[0] == (" ri-start", "motie") and len(cards) >= 2
    assert html.index("motie-korting.pdf") < html.index("reactie-motie.pdf")
    assert "verworpen" in html and "RIS321999" in html and "speeltuinen" not in html
    assert re.search(r'href="raadsinzicht/pdf/[0-9a-f]{64}#page=1"', html)
    # The votes on it: outcome, tally, where recorded (a link to the page).
    assert "Stemmingen over dit onderwerp" in votes and "verworpen" in votes
    assert "met 9 stemmen voor en 12 tegen" in votes
    assert re.search(r'<a href="raadsinzicht/pdf/[0-9a-f]{64}#page=\d"', votes)
    # By a search, and the errors.
    by_search, _ = dossier.show(None, "korting op parkeren", _request(ADMIN))
    assert "motie-korting.pdf" in by_search
    with pytest.raises(gr.Error, match="Kies een document of typ een zoekvraag"):
        dossier.show(None, " ", _request(ADMIN))
    with pytest.raises(gr.Error, match="Kies eerst een resultaat"):
        dossier.open_from(None, items, _request(ADMIN))


def test_dossier_html_is_escaped() -> None:
    from datetime import date

    from raadsinzicht.dossier import Dossier, DossierEntry, DossierLink
    from raadsinzicht.web.format import dossier_html

    entry = DossierEntry(
        "a" * 64, "raad/<b>x</b>.pdf", "<script>alert(1)</script>", "motie",
        date(2025, 3, 13), "aangenomen", 2, True,
        [DossierLink("verwijzing", "RIS1", "zie <img src=x> RIS1", "raad/y.pdf", 3)],
    )  # fmt: skip
    html = dossier_html(Dossier("x", [entry]), subject="<i>x</i>")
    assert "<script>" not in html and "<img" not in html and "<b>x" not in html
    assert "&lt;script&gt;" in html and "13 maart 2025" in html and "#page=2" in html


def test_the_answer_from_the_sources_with_the_models_under_it(engine: Engine) -> None:
    """The direct answer line and the verbatim quotes first, the model's checked answer
    under them with its status line; each source highlights its quoted sentence only."""
    from raadsinzicht.web.format import answer_markdown
    from raadsinzicht.web.tabs.ask import answer_sources

    answer = engine.ask("Welke partij diende de motie over sleutelgeld in?", user=COUNCILLOR)
    assert answer.extractive is not None and not answer.extractive.refused
    shown = answer_markdown(answer)
    assert shown.startswith("#### Antwoord uit de bronnen")
    assert "**Partij: SP** **[1]**" in shown and "> “" in shown
    model_part = shown.index(f"#### Antwoord van het taalmodel (ollama/{MODEL})")
    assert model_part > shown.index("> “") and "tokens" in shown[model_part:]
    assert "— klaar" in shown[model_part:]
    items = answer_sources(answer)
    quote = answer.extractive.quotes[0]
    first = items[0]  # the first quote's passage and page, with all sentences cited there
    assert first["label"].startswith(f"[{quote.n}] ") and first["page"] == quote.page
    assert quote.text in first["quote"]
    highlighted = {tuple(box) for box in first["boxes"]}
    assert {(quote.page, *box) for box in quote.boxes} <= highlighted
    chunk_lines = {tuple(b) for b in answer.sources[quote.n - 1].chunk.boxes if b[0] == quote.page}
    assert highlighted < chunk_lines  # the quoted lines, not the whole passage


def test_the_last_update_of_an_answer_carries_its_sources(app: dict[str, Any]) -> None:
    """The sources shown with the answer from the sources are sent again with the final
    answer (the page's last state does not hang on an update streamed early), without a
    value: a source the user chose while the model wrote stays chosen. The early update
    chooses the first source (its page is shown with the answer)."""
    import gradio as gr

    no_filters = (None,) * 10
    updates = list(
        app["ask"].ask(
            "Wat vraagt de motie over het sleutelgeld?", [], *no_filters, False,
            _request(COUNCILLOR),
        )
    )  # fmt: skip
    # (chat, question, sources, items, details, image, feedback record)
    radios = [(u[2].constructor_args, u[3]) for u in updates if isinstance(u[2], gr.Radio)]
    (first_empty, _), (early, early_items), (last, last_items) = radios
    assert first_empty["choices"] == [] and early["value"] == "1" and early["choices"]
    assert last["choices"] == early["choices"] and "value" not in last
    assert last_items == early_items and isinstance(updates[-1][2], gr.Radio)


def test_a_refusal_names_the_closest_sources(engine: Engine) -> None:
    from raadsinzicht.web.format import answer_markdown
    from raadsinzicht.web.tabs.ask import answer_sources

    answer = engine.ask("Hoeveel kost een ijsbaan op de maan?", user=COUNCILLOR)
    assert answer.refused and answer.extractive is not None and answer.extractive.refused
    assert answer.model is None  # the model is not asked to guess
    shown = answer_markdown(answer)
    assert shown.startswith("⚠ **Geen antwoord gevonden.** Dit staat niet in de")
    assert "dichtstbijzijnde passages" in shown and "Antwoord uit de bronnen" not in shown
    items = answer_sources(answer)
    assert 1 <= len(items) <= 5 and all(item["label"].startswith("• ") for item in items)


def test_a_summary_without_a_model_renders_like_the_others(engine: Engine, tmp_path: Path) -> None:
    """Extractive, per document kind, each line cited to its page (a link to the PDF),
    with its audit record for feedback."""
    import gradio as gr

    from raadsinzicht.web.shell import Shell
    from raadsinzicht.web.tabs.summarize import SummarizeTab

    settings = engine.settings.model_copy(
        update={"llm": engine.settings.llm.model_copy(update={"provider": "extractive"})}
    )
    extractive = build_engine(settings)
    try:
        shell = Shell(extractive, downloads=tmp_path / "downloads")
        with gr.Blocks():
            tab = SummarizeTab(shell, None)
        (motion,) = [d for d in extractive.documents() if d.file.endswith("motie-korting.pdf")]
        seen: list[str] = []
        view, markdown, docx, record = tab.summarize(
            motion.doc_id, "algemeen", _request(COUNCILLOR),
            progress=lambda *args, desc="", **kw: seen.append(desc),
        )  # fmt: skip
    finally:
        extractive.close()
    assert "extractief (geen taalmodel)" in view
    assert re.search(rf"\[\\\[p\. 1\\\]\]\(raadsinzicht/pdf/{motion.doc_id}#page=1\)", view)
    assert "Lesley Arp" in view or "SP" in view
    assert _download(markdown).read_text().startswith("# Samenvatting")
    assert _download(docx).suffix == ".docx"
    assert seen[0] == "Document voorbereiden…"
    assert record is not None and _prop(tab.feedback.show(record)[0], "visible") is True


# -- in a browser -----------------------------------------------------------------------------

# English text of Gradio's own labels, shown if its translation did not apply ("Download"
# is left out: our buttons say "Download als ...", Dutch too).
ENGLISH = re.compile(
    r"Drop File Here|Click to Upload|\bLoading\b|\bUpload\b|\bClear\b|"
    r"\bSubmit\b|\bError\b|\bor\b|Copy message|\bEmpty\b|\bShare\b|\bSettings\b|"
    r"Built with|Use via API|\bRemove\b|\bUndo\b|\bRetry\b"
)


@pytest.fixture(scope="module")
def server(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over ``engine``, launched once for this module's browser tests."""
    from .test_web import CHROMIUM, _free_port

    if not CHROMIUM.exists():
        pytest.skip("Chromium ontbreekt (/usr/bin/chromium)")
    from raadsinzicht.web.app import private_folder, start
    from raadsinzicht.web.shell import Shell

    with private_folder() as folder:
        blocks, _, url = start(
            engine, Shell(engine, downloads=folder / "downloads"), host="127.0.0.1",
            port=_free_port(),
        )  # fmt: skip
        try:
            yield url
        finally:
            blocks.close()


def _page(chromium: Any, server: str, user: str) -> Any:
    """A tab with an English browser locale, logged in as ``user``; every request it makes
    is recorded (``page.outside``: any not to this machine)."""
    from .test_web import WAIT_MS

    context = chromium.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.outside = []
    page.on(
        "request",
        lambda request: (
            page.outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    page.goto(server)
    page.get_by_label("Gebruikersnaam").fill(user)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("tab", name="Vragen").wait_for()
    return page


@browser_test
def test_thumbs_down_shows_in_impact_with_a_csv_and_every_tab_is_dutch(
    browser: Any,
    server: str,
    tmp_path: Path,
) -> None:
    """Issue 13's done-when: ask, judge the answer with a thumb down and a comment, open
    Impact, see this week's counts and the feedback, download the CSV; in an English
    browser no English Gradio label shows on any tab, and nothing outside is contacted."""
    from playwright.sync_api import expect

    page = _page(browser, server, ADMIN)
    # Gradio sets the browser's locale as the page language; the app's script sets nl.
    page.wait_for_function("document.documentElement.lang === 'nl'")
    box = page.get_by_label("Uw vraag")
    box.fill("Wat vraagt de motie over het sleutelgeld voor studenten?")
    box.press("Enter")
    expect(page.get_by_role("radio", name=re.compile(r"^\s*\[1\]"))).to_be_visible()
    panel = page.locator("#antwoord-beoordeling")
    expect(panel).to_be_visible()
    panel.get_by_text("Niet bruikbaar").click()
    comment = "Het antwoord noemt de indiener niet."
    panel.get_by_label("Toelichting (optioneel)").fill(comment)
    panel.get_by_role("button", name="Beoordeling versturen").click()
    expect(page.locator("#antwoord-beoordeling-status")).to_contain_text("opgeslagen")
    page.screenshot(path=tmp_path / "beoordeling.png", full_page=True)

    page.get_by_role("tab", name="Beheer / Over").click()
    page.get_by_role("button", name="Impact tonen").click()
    summary = page.locator("#impact-overzicht")
    expect(summary).to_contain_text("Vragen")
    cards = summary.locator("dl div")
    questions = int(cards.filter(has_text="Vragen").locator("dd").inner_text())
    assert questions >= 1
    expect(summary).to_contain_text("schatting")
    weeks = page.locator("#impact-perioden")
    expect(weeks).to_contain_text("Per week")
    expect(page.locator("#impact-beoordelingen")).to_contain_text(comment)
    expect(page.locator("#impact-beoordelingen")).to_contain_text("niet bruikbaar")
    expect(
        page.locator("#impact-plot-aantal canvas, #impact-plot-aantal svg").first
    ).to_be_visible()
    page.screenshot(path=tmp_path / "impact.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download als CSV")).click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert int(rows[-1]["vragen"]) == questions and int(rows[-1]["duim_omlaag"]) >= 1

    for name in ("Vragen", "Zoeken", "Dossier", "Samenvatten", "Documenten", "Bezwaar",
                 "Beheer / Over"):  # fmt: skip
        page.get_by_role("tab", name=name).click()
        panel_text = page.locator("[role=tabpanel]:visible").first.inner_text()
        found = ENGLISH.findall(panel_text + page.locator("body").inner_text())
        assert not found, f"Engelse tekst op tabblad {name}: {found}"
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert not page.outside, f"de pagina nam contact op met andere servers: {page.outside}"
    page.context.close()


@browser_test
def test_search_by_party_then_the_dossier_of_a_hit(
    browser: Any,
    server: str,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    page = _page(browser, server, COUNCILLOR)
    page.get_by_role("tab", name="Zoeken").click()
    page.get_by_label("Zoekvraag").fill("parkeren korting")
    party = page.locator("#zoek-partij input")
    party.fill("SP")
    party.press("Enter")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    results = page.locator("#zoekresultaten")
    expect(results).to_contain_text("Spreker: Lesley Arp (SP)")
    # A passage may hold other turns, but each hit's speaker is a turn of the SP.
    speakers = re.findall(r"Spreker: ([^\n]*?\))", results.inner_text())
    assert speakers and all(speaker.endswith("(SP)") for speaker in speakers), speakers
    page.screenshot(path=tmp_path / "zoeken-partij.png", full_page=True)

    hit = page.get_by_role("radio", name=re.compile("Korting op parkeren"))
    hit.first.check()
    page.locator("#resultaatkeuze-dossier").click()
    timeline = page.locator("#dossier .ri-card")
    expect(timeline.first).to_contain_text("vertrekpunt")
    expect(page.locator("#dossier")).to_contain_text("verworpen")
    texts = timeline.all_inner_texts()
    assert any("reactie-motie.pdf" in t for t in texts[1:])
    assert not any("speeltuinen" in t for t in texts)
    expect(page.locator("#dossier-stemmingen")).to_contain_text("met 9 stemmen voor en 12 tegen")
    page.screenshot(path=tmp_path / "dossier.png", full_page=True)
    assert not page.outside, page.outside
    page.context.close()


@browser_test
def test_a_councillor_sees_no_admin_controls_or_server_paths(
    browser: Any,
    server: str,
    engine: Engine,
) -> None:
    from playwright.sync_api import expect

    page = _page(browser, server, COUNCILLOR)
    page.get_by_role("tab", name="Documenten").click()
    expect(page.locator("#documenten")).to_contain_text("geïndexeerde documenten")
    expect(page.get_by_role("button", name="Uploaden en indexeren")).to_be_hidden()
    expect(page.get_by_role("button", name="Verwijderen", exact=True)).to_be_hidden()
    page.get_by_role("tab", name="Beheer / Over").click()
    expect(page.locator("#over")).to_contain_text("documenten")
    assert str(engine.settings.home) not in page.locator("#over").inner_text()
    expect(page.get_by_role("button", name="Impact tonen")).to_be_hidden()
    page.context.close()


@browser_test
def test_the_answer_from_the_sources_shows_at_once_and_the_model_streams_under_it(
    browser: Any,
    server: str,
    ollama: FakeOllama,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    page = _page(browser, server, COUNCILLOR)
    chat = page.locator("#gesprek")
    ollama.fail_mode = "slow"  # the model waits 3 s before its first word
    try:
        box = page.get_by_label("Uw vraag")
        box.fill("Welke partij diende de motie over sleutelgeld in?")
        box.press("Enter")
        # While the model still reads: the answer from the sources, its sources to choose.
        expect(chat).to_contain_text("Partij: SP [1]", timeout=2500)
        expect(chat).to_contain_text("het model leest de bronnen")
        expect(chat).to_contain_text(f"Antwoord van het taalmodel (ollama/{MODEL})")
        source = page.get_by_role("radio", name=re.compile(r"^\s*\[1\] Motie"))
        expect(source.first).to_be_visible()
        page.screenshot(path=tmp_path / "vragen-uit-de-bronnen.png", full_page=True)
        # Then the model's checked answer under it, with its status line.
        expect(chat).to_contain_text("klaar")
        expect(chat).to_contain_text("tokens")
    finally:
        ollama.fail_mode = None
    text = chat.inner_text()
    assert text.index("Antwoord uit de bronnen") < text.index("Antwoord van het taalmodel")
    # The first cited page is shown with the answer, without a click (as in Zoeken).
    expect(source.first).to_be_checked()
    image = page.locator("#bronpagina img")
    expect(image).to_have_attribute("alt", re.compile("geciteerde passage"))
    expect(page.locator("#bron-details")).to_contain_text("pagina 1")
    source.first.check()
    expect(image).to_have_attribute("alt", re.compile("geciteerde passage"))
    page.screenshot(path=tmp_path / "vragen-bron.png", full_page=True)

    # A question the documents do not answer: said plainly, with the closest sources.
    page.get_by_role("button", name="Nieuw gesprek").click()
    box.fill("Hoeveel kost een ijsbaan op de maan?")
    box.press("Enter")
    expect(chat).to_contain_text("Geen antwoord gevonden")
    expect(chat).to_contain_text("Dit staat niet in de geïndexeerde documenten.")
    expect(page.locator("#bronnen")).to_contain_text("Dichtstbijzijnde bronnen")
    expect(page.get_by_role("radio", name=re.compile(r"^\s*• ")).first).to_be_visible()
    # The closest sources answer nothing: none is chosen and no page is shown for it.
    expect(page.locator("#bronnen").get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.locator("#bron-details")).not_to_contain_text("pagina")
    assert not page.outside, page.outside
    page.context.close()


def test_the_model_banner_tells_a_new_install_from_a_fault() -> None:
    from raadsinzicht.web.shell import banner_text

    problem = "Geen taalmodel beschikbaar: Ollama antwoordt niet op http://127.0.0.1:11434."
    assert banner_text(None, "auto") == "" and banner_text(problem, "extractive") == ""
    default = banner_text(problem, "auto")  # a new install: answers from the sources
    assert default.startswith("### Antwoorden en samenvattingen komen uit de bronnen")
    assert "⚠" not in default and problem in default
    configured = banner_text(problem, "ollama")  # a model asked for by name does not answer
    assert configured.startswith("### ⚠ Het taalmodel is niet beschikbaar")
    assert problem in configured and "Vragen stellen werkt wel" in configured
