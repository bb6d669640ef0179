"""Access per collection and the roles, enforced inside the Engine: for every read path a
test that fails when a document of a restricted collection reaches a user who may not see
it (and shows that a member does see it, so the test can fail), the roles, the audit and
job views, reveal, and a property test over random users, groups, rules and filters.

The installation (real PDFs, keyword and vector index through the fake Ollama):

- ``raad/``: the minutes and the motion of the council tests (open);
- ``moties/sleutelgeld.pdf``: an open motion that mentions a *bezwaar*;
- ``bezwaar/``: an objection letter, the council letter about the motion, and a copy of
  the open sleutelgeld motion (the same PDF in two collections);
- ``besloten/``: the decision list that records the motion's outcome;
- ``bezwaar`` and ``besloten`` are for the group ``juristen`` (jansen, pietersen) only;
  ``beheerders`` (admin) manage.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from raadsinzicht.access import AccessDeniedError, AccessPolicy, normalise_name
from raadsinzicht.audit import AuditRecord
from raadsinzicht.cli import app
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.errors import InputError
from raadsinzicht.privacy import Entity, is_sensitive
from raadsinzicht.retrieve import SearchFilters
from raadsinzicht.settings import AccessSettings, load_settings

from .fake_ollama import FakeOllama, prompt_text
from .letters import objection_letter, write_letter
from .pdfs import motie_text, write_pdf
from .test_council import BESLUITENLIJST, LETTER, MINUTES_1, MINUTES_2, MOTIE
from .test_jobs import _wait

MODEL = "gemma3:4b"
ACCESS = {
    "groups": {"juristen": ["jansen", "pietersen"], "beheerders": ["admin"]},
    "collections": {"bezwaar": ["juristen"], "besloten": ["juristen"]},
}
RESTRICTED = {"bezwaar", "besloten"}
# Words found only in the restricted documents (the letter, the council letter).
SECRET_WORDS = ("Leeuwenhoek", "Kastanjelaan", "Z-2025-004512", "DSO/555")


@pytest.fixture(scope="module")
def ollama() -> Iterator[FakeOllama]:
    with FakeOllama(models=(MODEL, "bge-m3")) as server:
        yield server


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory, ollama: FakeOllama) -> Path:
    """The inbox and the data directory, indexed once (keyword and vectors)."""
    root = tmp_path_factory.mktemp("toegang")
    inbox = root / "ingest"
    write_pdf(inbox / "raad" / "notulen.pdf", [MINUTES_1, MINUTES_2])
    write_pdf(inbox / "raad" / "motie-korting.pdf", [MOTIE])
    sleutelgeld = write_pdf(
        inbox / "moties" / "sleutelgeld.pdf",
        [motie_text("het sleutelgeld", "SP", "Een bezwaar van huurders tegen sleutelgeld.")],
    )
    write_letter(inbox / "bezwaar" / "bezwaar-dakkapel.pdf", objection_letter("tijdig"))
    write_pdf(inbox / "bezwaar" / "reactie-motie.pdf", [LETTER])
    shutil.copy(sleutelgeld, inbox / "bezwaar" / "kopie-sleutelgeld.pdf")
    write_pdf(inbox / "besloten" / "besluitenlijst.pdf", [BESLUITENLIJST])
    engine = build_engine(_settings(root, ollama))
    try:
        report = engine.ingest(user="admin")
    finally:
        engine.close()
    assert report.failed == [] and report.embedded == report.chunks
    return root


def _settings(root: Path, ollama: FakeOllama, **extra: Any) -> Any:
    return load_settings(
        home=root / "home",
        ingest_dir=root / "ingest",
        embedding={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": "bge-m3"},
        llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL},
        access=ACCESS,
        **extra,
    )


@pytest.fixture
def engine(installation: Path, ollama: FakeOllama) -> Iterator[Engine]:
    engine = build_engine(_settings(installation, ollama, privacy={"reveal_users": ["jansen"]}))
    yield engine
    engine.close()


def _restricted(files: list[str]) -> list[str]:
    return [f for f in files if f.split("/", 1)[0] in RESTRICTED]


# -- the policy ------------------------------------------------------------------------------


def test_policy_rules() -> None:
    policy = AccessPolicy(
        AccessSettings(
            groups={"Juristen": ["jansen"], "woo": ["jansen", "de boer"], "admins": ["root"]},
            collections={"bezwaar": ["juristen"], "woo*": ["woo"], "* 2025": ["juristen"]},
        )
    )
    assert policy.may_see("jansen", "Bezwaar") and not policy.may_see("de boer", "bezwaar")
    assert policy.may_see("de boer", "woo-verzoeken") and not policy.may_see(None, "woo")
    # Several rules match: the strictest wins.
    assert not policy.may_see("de boer", "woo 2025") and policy.may_see("jansen", "woo 2025")
    assert policy.may_see(None, "moties") and policy.may_see("iemand", "algemeen")
    assert policy.hidden_collections("de boer", ["bezwaar", "moties", "woo"]) == {"bezwaar"}
    assert policy.roles_enabled and policy.is_admin("root") and not policy.is_admin("jansen")
    with pytest.raises(AccessDeniedError, match=r"Alleen beheerders.*jansen is geen beheerder"):
        policy.require_admin("jansen", "verwijderen")
    # No admin group configured: a single-user install, everyone manages.
    open_install = AccessPolicy(AccessSettings())
    assert open_install.is_admin(None) and not open_install.restricts_collections
    assert open_install.may_see_record(None, "iemand anders")


def test_sensitive_collections_by_names_and_prefixes(make_settings) -> None:
    settings = make_settings()
    for name in ("bezwaar", "bezwaren", "bezwaarschriften", "bezwaar 2025", "Bezwaar/2025",
                 " BEZWAAR ", "bezwäar"):  # fmt: skip
        assert is_sensitive(settings, [name]), name
    for name in ("moties", "woo", "raad", "geen-bezwaar"):
        assert not is_sensitive(settings, [name]), name
    personnel = make_settings(
        privacy={"sensitive_collections": ["Personeel"], "sensitive_prefixes": []}
    )
    assert is_sensitive(personnel, ["personeel"]) and not is_sensitive(personnel, ["bezwaren"])
    assert normalise_name("  Bézwaar  2025/ ") == "bezwaar 2025"


# -- every read path -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "vector"])
def test_search_never_shows_a_restricted_document(engine: Engine, mode: str) -> None:
    for query in ("bezwaar dakkapel", "parkeren korting motie", "sleutelgeld"):
        seen = engine.search(query, top_k=20, mode=mode, user="raadslid")
        assert not _restricted([hit.file for hit in seen]), (mode, query)
        assert not _restricted([f for hit in seen for f in hit.document.files])
        assert all(c not in RESTRICTED for hit in seen for c in hit.document.collections)
    member = engine.search("bezwaar dakkapel", top_k=20, mode=mode, user="jansen")
    assert "bezwaar/bezwaar-dakkapel.pdf" in [hit.file for hit in member]
    # An explicit filter on the restricted collection finds nothing, not an error.
    assert not engine.search(
        "dakkapel", mode=mode, filters=SearchFilters(collections=("bezwaar",)), user="raadslid"
    )


def test_a_document_in_two_collections_shows_only_the_visible_file(engine: Engine) -> None:
    (hit,) = [h for h in engine.search("sleutelgeld", user="raadslid") if "sleutel" in h.file]
    assert hit.file == "moties/sleutelgeld.pdf"
    assert hit.document.files == ["moties/sleutelgeld.pdf"] and hit.document.collections == [
        "moties"
    ]
    (same,) = [d for d in engine.documents(user="jansen") if d.doc_id == hit.doc_id]
    assert set(same.files) == {"moties/sleutelgeld.pdf", "bezwaar/kopie-sleutelgeld.pdf"}
    # The copy in the sensitive collection still counts for the privacy rules (the model
    # gets it pseudonymised, the audit log keeps no query), without showing its name.
    assert hit.document.withheld == ["bezwaar"] and "withheld" not in hit.document.to_dict()
    assert engine.audit.records()[-1].input.startswith("(zoekvraag niet bewaard")


def test_document_lists_and_lookups(engine: Engine) -> None:
    restricted = {d.doc_id for d in engine.documents(user="jansen")} - {
        d.doc_id for d in engine.documents(user="raadslid")
    }
    assert len(restricted) == 3  # the letter, the council letter, the decision list
    listed = engine.documents(user="raadslid")
    assert not _restricted([f for d in listed for f in d.files])
    for doc_id in restricted:
        assert engine.document(doc_id, user="raadslid") is None
        assert engine.document_path(doc_id, user="raadslid") is None  # the PDF route, previews
        assert engine.document(doc_id, user="jansen") is not None
        assert engine.document_path(doc_id, user="jansen") is not None


def test_pdf_views_are_audited_also_when_refused(engine: Engine) -> None:
    (letter,) = [d for d in engine.documents(user="jansen") if "dakkapel" in d.file]
    assert engine.open_pdf(letter.doc_id, user="raadslid") is None
    assert engine.open_pdf(letter.doc_id, user="jansen") is not None
    records = [r for r in engine.audit.records() if r.action == "pdf"][-2:]
    assert [(r.user, r.refused) for r in records] == [("raadslid", True), ("jansen", False)]
    assert records[1].input == "bezwaar-dakkapel.pdf"


def test_answers_are_built_from_visible_passages_only(engine: Engine, ollama: FakeOllama) -> None:
    before = len(ollama.generation_requests())
    answer = engine.ask("Welk bezwaar is er tegen de dakkapel en de parkeertarieven?",
                        user="raadslid")  # fmt: skip
    assert not _restricted([hit.file for hit in answer.sources])
    prompts = [prompt_text(body) for _, body in ollama.generation_requests()[before:]]
    assert not any(word in text for text in prompts for word in SECRET_WORDS)


def test_summaries_of_restricted_documents_are_not_found(engine: Engine) -> None:
    (listed,) = [d for d in engine.documents(user="jansen") if "besluitenlijst" in d.file]
    for named in (listed.doc_id, "besluitenlijst.pdf", "besloten/besluitenlijst.pdf"):
        with pytest.raises(InputError, match="niet"):
            engine.summarize(named, user="raadslid")
    # Also the file on disk, by its path in the inbox.
    with pytest.raises(InputError, match="niet gevonden"):
        engine.summarize(str(engine.settings.ingest_dir / "besloten" / "besluitenlijst.pdf"),
                         user="raadslid")  # fmt: skip
    summary = engine.summarize(listed.doc_id, user="jansen")
    assert summary.file == "besloten/besluitenlijst.pdf"


def test_intake_and_redaction_of_restricted_files_are_not_found(
    engine: Engine, tmp_path: Path
) -> None:
    letter = engine.settings.ingest_dir / "bezwaar" / "bezwaar-dakkapel.pdf"
    with pytest.raises(InputError, match="niet gevonden"):
        engine.bezwaar(letter, use_llm=False, user="raadslid")
    with pytest.raises(InputError, match="niet gevonden"):
        engine.redact(letter, tmp_path / "gelakt.pdf", types=["BSN"], user="raadslid")
    with pytest.raises(InputError, match="niet gevonden"):  # by its name in the index
        engine.redact(Path("bezwaar-dakkapel.pdf"), tmp_path / "g.pdf", user="raadslid")
    assert not (tmp_path / "gelakt.pdf").exists()
    report = engine.redact(letter, tmp_path / "gelakt.pdf", types=["BSN"], user="jansen")
    assert report.redactions and (tmp_path / "gelakt.pdf").exists()


def test_dossiers_and_vote_facts_leave_restricted_documents_out(engine: Engine) -> None:
    member = [e.file for e in engine.dossier("motie-korting.pdf", user="jansen").entries]
    assert "bezwaar/reactie-motie.pdf" in member  # linked by its RIS number and title
    outsider = engine.dossier("motie-korting.pdf", user="raadslid")
    files = [e.file for e in outsider.entries]
    assert files[0] == "raad/motie-korting.pdf" and not _restricted(files)
    assert not _restricted([link.file for e in outsider.entries for link in e.links])
    # A restricted document's name is no starting point either: it is searched for.
    searched = engine.dossier("reactie-motie.pdf", user="raadslid")
    assert not _restricted([e.file for e in searched.entries])

    (fact,) = engine.vote_facts("korting op parkeren", user="jansen")
    assert "besloten/besluitenlijst.pdf" in {e.file for e in fact.evidence}
    for fact in engine.vote_facts("korting op parkeren", user="raadslid"):
        assert not _restricted([e.file for e in fact.evidence])
        assert fact.ris_number != "321999"  # only the decision list records it


def test_speakers_of_restricted_minutes_are_not_listed(engine: Engine, installation: Path) -> None:
    names = {s.name for s in engine.speakers(user="raadslid")}
    assert "Lesley Arp" in names  # the open minutes
    closed = AccessPolicy(AccessSettings(**{**ACCESS, "collections": {"raad": ["juristen"]}}))
    engine.access = closed
    assert engine.speakers(user="raadslid") == []
    assert "Lesley Arp" in {s.name for s in engine.speakers(user="jansen")}


def test_audit_records_own_or_all_for_admins(engine: Engine) -> None:
    engine.search("parkeren", mode="keyword", user="raadslid")  # open documents only
    engine.search("dakkapel", user="jansen")
    own = engine.audit_records(user="raadslid")
    assert own and {r.user for r in own} == {"raadslid"}
    assert engine.audit_records(user="raadslid", by_user="jansen") == []
    assert {"raadslid", "jansen"} <= {r.user for r in engine.audit_records(user="admin")}
    assert engine.audit_records(user=None) == []  # not logged in, roles on: nothing
    searches = [r for r in engine.audit_records(user="jansen") if r.action == "search"]
    # The query of a search with results in a sensitive collection is not kept.
    assert searches[0].input.startswith("(zoekvraag niet bewaard")
    assert any(s["file"].startswith("bezwaar/") for s in searches[0].sources)
    assert own[0].input == "parkeren" and own[0].account  # the OS account is recorded too


def test_reveal_only_what_the_user_was_shown(engine: Engine) -> None:
    mine, other = engine.pseudonymizer.placeholders(
        [Entity("PERSOON", 0, 11, "Anna Jansma"), Entity("PERSOON", 0, 12, "Bert Bakkers")]
    )
    for placeholder, user in ((mine, "jansen"), (other, "pietersen")):
        record = AuditRecord(action="ask", input="?", answer=f"{placeholder} schreef", user=user)
        engine.audit.append(record)
    shown = engine.reveal(f"{mine} en {other}", user="jansen")
    assert shown == f"Anna Jansma en {other}"
    record = engine.audit.records()[-1]
    assert record.action == "reveal" and record.refused and other in (record.error or "")
    assert "Bert" not in json.dumps(record.to_dict())
    with pytest.raises(AccessDeniedError, match="mag geen originele persoonsgegevens zien"):
        engine.reveal(mine, user="raadslid")
    refused = engine.audit.records()[-1]
    assert (refused.action, refused.user, refused.refused) == ("reveal", "raadslid", True)
    # A reveal does not make its own placeholders revealable next time.
    assert engine.reveal(other, user="jansen") == other


def test_roles_for_writes_jobs_and_reports(engine: Engine, tmp_path: Path) -> None:
    offered = write_pdf(tmp_path / "nieuw.pdf", [motie_text("fietsen", "GL")])
    (document,) = [d for d in engine.documents(user="raadslid") if "sleutel" in d.file]
    for refused in (
        lambda: engine.upload([(offered, "nieuw.pdf")], None, user="raadslid"),
        lambda: engine.reindex_in_background(user="jansen"),
        lambda: engine.remove_in_background(document.doc_id, user="raadslid"),
        lambda: engine.remove("sleutelgeld.pdf", user=None),
        lambda: engine.ingest(user="jansen"),
        lambda: engine.cancel_job(1, user="jansen"),
        lambda: engine.impact(user="jansen"),
        lambda: engine.purge(user="jansen"),
    ):
        with pytest.raises(AccessDeniedError, match="Alleen beheerders"):
            refused()
    assert not list(engine.settings.ingest_dir.glob("nieuw*.pdf"))
    job = engine.reindex_in_background(user="admin")
    assert [j.id for j in engine.list_jobs(user="admin")] == [job.id]
    assert engine.list_jobs(user="jansen") == []  # another user's job
    assert _wait(engine, job).status == "done"
    done = [r for r in engine.audit.records() if r.action == "reindex"][-1]
    assert done.user == "admin" and "0 nieuw" in (done.answer or "")


def test_the_cli_applies_the_same_rules(installation: Path, ollama: FakeOllama) -> None:
    env = {
        "RAADSINZICHT_HOME": str(installation / "home"),
        "RAADSINZICHT_INGEST_DIR": str(installation / "ingest"),
        "RAADSINZICHT_EMBEDDING__PROVIDER": "ollama",
        "RAADSINZICHT_EMBEDDING__OLLAMA_URL": ollama.url,
        "RAADSINZICHT_ACCESS__GROUPS": json.dumps(ACCESS["groups"]),
        "RAADSINZICHT_ACCESS__COLLECTIONS": json.dumps(ACCESS["collections"]),
    }
    runner = CliRunner()

    def files(*args: str) -> list[str]:
        result = runner.invoke(app, [*args, "search", "bezwaar", "--json", "--top", "20"], env=env)
        assert result.exit_code == 0, result.output
        return [hit["file"] for hit in json.loads(result.stdout)]

    outsider = files("--user", "raadslid")
    assert outsider and not _restricted(outsider)
    assert "bezwaar/bezwaar-dakkapel.pdf" in files("--user", "jansen")
    refused = runner.invoke(app, ["--user", "raadslid", "remove", "sleutelgeld.pdf"], env=env)
    assert refused.exit_code == 2 and "Alleen beheerders" in refused.stderr


# -- the property ----------------------------------------------------------------------------

USERS = ["jansen", "pietersen", "raadslid", "admin", "de boer", None]
COLLECTIONS = ["raad", "moties", "bezwaar", "besloten", "algemeen"]
QUERIES = ["bezwaar", "parkeren", "sleutelgeld motie", "dakkapel kosten", "korting bewoners"]


@st.composite
def policies(draw: st.DrawFn) -> AccessSettings:
    groups = draw(
        st.dictionaries(
            st.sampled_from(["juristen", "griffie", "woo", "beheerders"]),
            st.lists(st.sampled_from([u for u in USERS if u]), max_size=4),
            max_size=4,
        )
    )
    patterns = st.sampled_from([*COLLECTIONS, "b*", "*s", "?aad", "bez*"])
    collections = draw(
        st.dictionaries(
            patterns, st.lists(st.sampled_from(["juristen", "griffie", "woo"]), max_size=2),
            max_size=3,
        )
    )  # fmt: skip
    return AccessSettings(groups=groups, collections=collections)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    access=policies(),
    user=st.sampled_from(USERS),
    query=st.sampled_from(QUERIES),
    mode=st.sampled_from(["hybrid", "keyword", "vector"]),
    wanted=st.lists(st.sampled_from(COLLECTIONS), max_size=2),
    kinds=st.lists(st.sampled_from(["motie", "brief", "notulen", "besluitenlijst"]), max_size=1),
)
def test_no_user_ever_sees_a_collection_closed_to_them(
    engine: Engine,
    access: AccessSettings,
    user: str | None,
    query: str,
    mode: str,
    wanted: list[str],
    kinds: list[str],
) -> None:
    """Whatever the rules, user and filters: every document shown has a file in a
    collection the user may see, shows only such files, and the document list is exactly
    the documents with such a file (an oracle from the rules as written: group membership
    and shell patterns on the names)."""
    import fnmatch

    engine.access = AccessPolicy(access)
    groups = {g for g, users in access.groups.items() if user in users}

    def open_to_user(collection: str) -> bool:
        return all(
            groups & set(allowed)
            for pattern, allowed in access.collections.items()
            if fnmatch.fnmatchcase(collection, pattern)
        )

    every = engine.catalog.documents()
    visible = {d.doc_id for d in every if any(open_to_user(c) for c in d.collections)}
    listed = engine.documents(user=user)
    assert {d.doc_id for d in listed} == visible
    assert all(open_to_user(c) for d in listed for c in d.collections)
    filters = SearchFilters(collections=tuple(wanted), kinds=tuple(kinds))
    for hit in engine.search(query, mode=mode, filters=filters, user=user, top_k=20):
        assert hit.doc_id in visible and open_to_user(hit.file.split("/", 1)[0])
        assert all(open_to_user(c) for c in hit.document.collections)
        assert engine.document_path(hit.doc_id, user=user) is not None
    for doc in every:
        if doc.doc_id not in visible:
            assert engine.document_path(doc.doc_id, user=user) is None


def test_writes_are_audited_with_who_asked(make_settings, tmp_path: Path) -> None:
    inbox = tmp_path / "ingest"
    write_pdf(inbox / "moties" / "fietsen.pdf", [motie_text("fietsen", "GL")])
    engine = build_engine(make_settings(ingest_dir=inbox, access=ACCESS))
    try:
        engine.ingest(embed=False, user="admin")
        removed = engine.remove("fietsen.pdf", user="admin")
        assert removed[0].trashed is not None
        offered = write_pdf(tmp_path / "aangeboden" / "nieuw.pdf", [motie_text("bomen", "PvdD")])
        receipt = engine.upload([(offered, "nieuw.pdf")], "moties", user="admin")
        assert receipt.job is not None and _wait(engine, receipt.job).status == "done"
        records = [(r.action, r.user, r.input) for r in engine.audit.records()]
    finally:
        engine.close()
    assert records == [
        ("reindex", "admin", "invoermap"),
        ("remove", "admin", "moties/fietsen.pdf"),
        ("upload", "admin", "nieuw.pdf"),
    ]


def test_the_cli_user_comes_from_the_os_not_from_logname(tmp_path: Path) -> None:
    import pwd

    account = pwd.getpwuid(os.getuid()).pw_name
    home = str(tmp_path / "home")
    runner = CliRunner()
    env = {"LOGNAME": "alice", "USER": "alice", "USERNAME": "alice"}
    assert runner.invoke(app, ["--home", home, "search", "iets"], env=env).exit_code == 0
    named = runner.invoke(app, ["--home", home, "--user", "bob", "search", "iets"], env=env)
    assert named.exit_code == 0, named.output
    engine = build_engine(load_settings(home=home))
    try:
        records = [(r.user, r.account) for r in engine.audit.records()]
    finally:
        engine.close()
    assert records == [(account, account), ("bob", account)]
