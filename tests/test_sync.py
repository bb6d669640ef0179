"""`raadsinzicht sync` against a fake OpenBesluitvorming server serving real corpus PDFs:
full sync, changes (upsert and delete), an interrupted sync resumed, a 429 storm, pacing,
repaired links, a broken download; the catalog must end up exactly right each time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from raadsinzicht.cli import app
from raadsinzicht.connectors import repair_url
from raadsinzicht.engine import Engine, build_engine
from raadsinzicht.index.council import CouncilStore
from raadsinzicht.settings import Settings

from .fake_openbesluitvorming import FakeClock, FakeOpenBesluitvorming

SOURCE = "testgemeente"
PREFIX = f"notubiz:gemeente:{SOURCE}"
MEETING = f"meeting:{PREFIX}:1001"
MEETING_WITHOUT_AGENDA = f"meeting:{PREFIX}:1002"
MOTIE = f"document:{PREFIX}:2001"
AFDOENING = f"document:{PREFIX}:2002"
AMENDEMENT = f"document:{PREFIX}:2003"
BROKEN = f"document:{PREFIX}:2004"
DOCX = f"document:{PREFIX}:2005"
MOTION = f"motion:{PREFIX}:3001"
MOTION_IN_DETAIL = f"motion:{PREFIX}:3002"


def populate(fake: FakeOpenBesluitvorming, corpus: Path) -> None:
    """Two meetings, five documents (three real PDFs, a broken one, a .docx), a motion."""
    fake.files["motie-sleutelgeld.pdf"] = (
        corpus / "moties/denhaag_2025_motie_sp_sleutelgeld.pdf"
    ).read_bytes()
    fake.files["afdoening.pdf"] = (
        corpus / "moties/denhaag_2025_afdoening_motie-sleutelgeld.pdf"
    ).read_bytes()
    fake.files["sloopsubsidie.pdf"] = (
        corpus / "moties/denhaag_2025_amendement_sp_sloopsubsidie.pdf"
    ).read_bytes()
    fake.files["notitie.docx"] = b"PK\x03\x04 not a pdf"
    fake.broken_files.add("kapot.pdf")
    fake.upsert(
        MEETING,
        "Meeting",
        {
            "name": "Raadsvergadering 13 maart 2025",
            "start_date": "2025-03-13T12:30:00.000Z",
            "committee": f"committee:{PREFIX}:raad",
            "agenda": [
                {
                    "id": f"agenda_item:{PREFIX}:5001",
                    "number": "Y",
                    "title": "Goed verhuurderschap",
                    "order": 25,
                    "documents": [
                        {
                            "id": MOTIE,
                            "name": "Motie Y.3 SP Ga de strijd aan tegen sleutelgeld",
                            "original_url": fake.file_url("motie-sleutelgeld.pdf"),
                        }
                    ],
                    "agenda_items": [
                        {
                            "id": f"agenda_item:{PREFIX}:5002",
                            "number": "Y.1",
                            "title": "Moties",
                            "documents": [{"id": BROKEN, "name": "Bijlage"}],
                        }
                    ],
                }
            ],
        },
    )
    fake.upsert(
        MEETING_WITHOUT_AGENDA,
        "Meeting",
        {
            "name": "Raadsvergadering 13 februari 2025",
            "start_date": "2025-02-13T12:30:00.000Z",
        },
    )
    fake.details[MEETING_WITHOUT_AGENDA] = {
        "agenda": [
            {
                "id": f"agenda_item:{PREFIX}:5101",
                "number": "I",
                "title": "Sloopsubsidie",
                "documents": [
                    {"id": AMENDEMENT, "name": "Amendement I.B SP Verleng sloopsubsidie"}
                ],
                "agenda_items": [],
            }
        ],
        "motions": [
            {
                "id": MOTION_IN_DETAIL,
                "name": "I.B SP Verleng sloopsubsidie",
                "result": "verworpen",
                "tally": {"in_favour": 10, "against": 34},
                "votes": [],
                "agenda_item": f"agenda_item:{PREFIX}:5101",
                "attachment_id": AMENDEMENT,
            }
        ],
    }
    fake.upsert(
        MOTIE,
        "Document",
        {
            "name": "Motie Y.3 SP Ga de strijd aan tegen sleutelgeld",
            "classification": ["Motie"],
            "original_url": fake.file_url("motie-sleutelgeld.pdf"),
            "file_name": "motie-sleutelgeld.pdf",
            "content_type": "application/pdf",
            "last_discussed_at": "2025-03-13T12:30:00.000Z",
            "is_referenced_by": MEETING,
        },
    )
    # A malformed link as some RIS exports publish them.
    fake.upsert(
        AFDOENING,
        "Document",
        {
            "name": "Afdoening motie Ga de strijd aan tegen sleutelgeld",
            "classification": ["Raadsinformatiebrief"],
            "original_url": "https://http://"
            + fake.file_url("afdoening.pdf").removeprefix("http://"),
            "media_urls": [
                {"url": "httphttp://" + fake.file_url("afdoening.pdf").removeprefix("http://")}
            ],
            "date_modified": "2025-05-27T08:00:00.000Z",
        },
    )
    # No link in the export record: the entity detail gives pdfUrl.
    fake.upsert(
        AMENDEMENT,
        "Document",
        {
            "name": "Amendement I.B SP Verleng sloopsubsidie",
            "classification": ["Amendement"],
            "last_discussed_at": "2025-02-13T12:30:00.000Z",
            "is_referenced_by": MEETING_WITHOUT_AGENDA,
        },
    )
    fake.details[AMENDEMENT] = {
        "pdfUrl": fake.file_url("sloopsubsidie.pdf"),
        "downloadUrl": fake.file_url("sloopsubsidie.pdf"),
        "contentType": "application/pdf",
        "meetingId": MEETING_WITHOUT_AGENDA,
    }
    fake.upsert(
        BROKEN,
        "Document",
        {
            "name": "Bijlage",
            "original_url": fake.file_url("kapot.pdf"),
            "content_type": "application/pdf",
            "is_referenced_by": MEETING,
        },
    )
    fake.upsert(
        DOCX,
        "Document",
        {
            "name": "Notitie",
            "original_url": fake.file_url("notitie.docx"),
            "content_type": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document",
        },
    )
    fake.upsert(
        MOTION,
        "Motion",
        {
            "name": "Y.3 SP Ga de strijd aan tegen sleutelgeld",
            "motion_type": "Motie",
            "status": "Motie aangenomen",
            "result": "aangenomen",
            "tally": {"in_favour": 42, "against": 2},
            "votes": [
                {"option": "voor", "voter_name": "Arp, L.", "group_name": "SP"},
                {"option": "voor", "voter_name": "Ridder, R. de", "group_name": "Haagse VVD"},
                {"option": "tegen", "voter_name": "Kaptheijns, N.", "group_name": "PVV"},
            ],
            "proposers": ["Lesley Arp"],
            "parties": ["SP"],
            "meeting": MEETING,
            "agenda_item": f"agenda_item:{PREFIX}:5001",
            "attachment": [MOTIE],
        },
    )


@pytest.fixture
def fake(corpus_dir: Path) -> Iterator[FakeOpenBesluitvorming]:
    clock = FakeClock()
    with FakeOpenBesluitvorming(clock=clock, source=SOURCE) as server:
        populate(server, corpus_dir)
        yield server


@pytest.fixture
def engine_for(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> Iterator[Callable[..., Engine]]:
    engines: list[Engine] = []

    def make(name: str = "a", page_size: int = 2) -> Engine:
        settings = make_settings(
            home=tmp_path / name / "home",
            ingest_dir=tmp_path / name / "ingest",
            sources={"page_size": page_size},
        )
        engine = build_engine(settings)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()


def sync(engine: Engine, fake: FakeOpenBesluitvorming, **options: Any) -> Any:
    clock = fake.clock
    assert isinstance(clock, FakeClock)
    return engine.sync(
        "openbesluitvorming",
        SOURCE,
        base_url=fake.url,
        embed=False,
        clock=clock,
        sleep=clock.sleep,
        **options,
    )


def catalog_state(engine: Engine) -> dict[str, Any]:
    """Everything a sync writes, without timestamps or temporary paths."""
    read = engine.catalog.read
    return {
        "files": sorted((f, c) for f, c in read("SELECT rel_path, collection FROM files")),
        "documents": sorted(r[0] for r in read("SELECT kind FROM documents")),
        "entities": sorted(
            tuple(r)
            for r in read(
                "SELECT entity_id, status, content_hash, abs_path IS NOT NULL FROM ris_entities"
            )
        ),
        "meetings": sorted(tuple(r) for r in read("SELECT meeting_id, name, date FROM meetings")),
        "agenda": sorted(
            tuple(r)
            for r in read("SELECT item_id, meeting_id, number, title, parent_id FROM agenda_items")
        ),
        "agenda_documents": sorted(tuple(r) for r in read("SELECT * FROM agenda_documents")),
        "motions": sorted(
            tuple(r)
            for r in read(
                "SELECT motion_key, result, votes_for, votes_against, meeting_date FROM motions "
                "WHERE origin = 'ris'"
            )
        ),
        "votes": sorted(tuple(r) for r in read("SELECT motion_key, option, party FROM votes")),
    }


@pytest.mark.corpus
def test_full_sync_stores_documents_meetings_motions_and_links(
    fake: FakeOpenBesluitvorming, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for()
    events: list[tuple[str, int, int, str]] = []
    report = sync(engine, fake, progress=lambda *event: events.append(event))

    assert report.error is None and report.phase == "changes"
    assert report.pages >= 5  # 8 records, 2 a page: paged, not one big request
    assert (report.documents_added, report.meetings, report.motions) == (3, 2, 1)
    assert report.skipped == 1  # the .docx
    assert [f.entity_id for f in report.failed] == [BROKEN]
    assert "HTTP 500" in report.failed[0].error and "\n" not in report.failed[0].error
    assert [e for e in events if e[0] == "sync"][-1][1] == report.records == 8
    assert "testgemeente: bijgewerkt" in report.summary() and "1 mislukt" in report.summary()

    state = catalog_state(engine)
    assert [c for _, c in state["files"]] == [SOURCE] * 3  # one collection, named after the source
    assert sorted(state["documents"]) == ["amendement", "brief", "motie"]
    # The doubled scheme was repaired and the amendment's file came from the entity detail.
    assert fake.count("/files/afdoening.pdf", 200) == 1
    assert fake.count("/files/sloopsubsidie.pdf", 200) == 1
    assert fake.count("/api/entities/", 200) == 2  # the meeting without agenda, the link-less doc
    assert (
        "agenda_item:" + PREFIX + ":5101",
        MEETING_WITHOUT_AGENDA,
        "I",
        "Sloopsubsidie",
        None,
    ) in state["agenda"]

    # RIS links of the downloaded motion: meeting, date, agenda item, document type.
    motie_doc = engine.catalog.find_files(
        f"{SOURCE}/"
        + next(f for f, _ in state["files"] if f.startswith(f"{SOURCE}/motie-y-3")).split("/", 1)[1]
    )[0].doc_id
    links = CouncilStore(engine.catalog).document_links([motie_doc])[motie_doc]
    assert (
        links["meeting"] == "Raadsvergadering 13 maart 2025"
        and links["meeting_date"] == "2025-03-13"
    )
    assert links["agenda_item"] == "Y Goed verhuurderschap" and links["document_type"] == "Motie"

    # The RIS motion and the motion's own PDF are one vote fact, with per-party votes.
    facts = engine.vote_facts("Hoe is er gestemd over sleutelgeld?")
    assert (
        facts
        and facts[0].result == "aangenomen"
        and (facts[0].votes_for, facts[0].votes_against) == (42, 2)
    )
    assert facts[0].party_position("VVD") == "voor" and facts[0].party_position("PVV") == "tegen"
    assert {e.document_kind for e in facts[0].evidence} == {"motie", "ris"}
    # The agenda item the RIS files it under says what it is about ("Goed verhuurderschap").
    assert facts[0].agenda_subject == "Goed verhuurderschap"
    listed = engine.vote_facts(kinds=("motie",), subject="goed verhuurderschap", limit=5)
    assert [(f.title, f.by_agenda_subject) for f in listed] == [(facts[0].title, True)]

    # A second run with nothing new costs three requests and no download.
    before = len(fake.requests)
    again = sync(engine, fake)
    assert again.records == 0 and again.documents_added == 0
    assert [p for p, _, _ in fake.requests[before:]].count("/files/kapot.pdf") == 1  # retried once
    assert catalog_state(engine) == state


@pytest.mark.corpus
def test_changes_upsert_and_delete_leave_the_catalog_exactly_right(
    fake: FakeOpenBesluitvorming, engine_for: Callable[..., Engine], corpus_dir: Path
) -> None:
    engine = engine_for()
    sync(engine, fake)
    afdoening = engine.catalog.read(
        "SELECT abs_path FROM ris_entities WHERE entity_id = ?", (AFDOENING,)
    )[0][0]
    old_amendment = engine.catalog.read(
        "SELECT abs_path FROM ris_entities WHERE entity_id = ?", (AMENDEMENT,)
    )[0][0]
    assert Path(afdoening).exists()

    # Upsert: the amendment renamed and with other bytes (changed content_hash); delete: the letter.
    fake.files["sloopsubsidie.pdf"] = (
        corpus_dir / "moties/denhaag_2025_amendement_vvd_sociale-veiligheid.pdf"
    ).read_bytes()
    fake.upsert(
        AMENDEMENT,
        "Document",
        {
            "name": "Gewijzigd amendement sociale veiligheid",
            "classification": ["Amendement"],
            "original_url": fake.file_url("sloopsubsidie.pdf"),
            "content_type": "application/pdf",
            "last_discussed_at": "2025-04-03T12:30:00.000Z",
        },
    )
    fake.delete(AFDOENING)
    fake.upsert(
        MOTION,
        "Motion",
        {
            "name": "Y.3 SP Ga de strijd aan tegen sleutelgeld",
            "result": "aangenomen",
            "tally": {"in_favour": 41, "against": 3},
            "meeting": MEETING,
            "attachment": [MOTIE],
        },
    )
    report = sync(engine, fake)

    assert report.error is None and report.records == 3
    assert (report.documents_updated, report.deleted, report.motions) == (1, 1, 1)
    assert not Path(afdoening).exists() and not Path(old_amendment).exists()
    state = catalog_state(engine)
    assert AFDOENING not in {e[0] for e in state["entities"]}
    assert sorted(state["documents"]) == ["amendement", "motie"]
    titles = {d.title for d in engine.documents()}
    assert any("sociale veiligheid" in t.lower() for t in titles)
    assert (MOTION, "aangenomen", 41, 3, "2025-03-13") in state["motions"]
    assert not [v for v in state["votes"] if v[0] == MOTION]  # the new record has no votes
    # The changed record is the only thing fetched again.
    assert fake.count("/files/motie-sleutelgeld.pdf") == 1


@pytest.mark.corpus
def test_interrupted_sync_resumes_where_it_stopped(
    fake: FakeOpenBesluitvorming, engine_for: Callable[..., Engine]
) -> None:
    reference = engine_for("reference")
    sync(reference, fake)
    fake.requests.clear()

    engine = engine_for("interrupted")
    fake.fail_paths["/api/export/snapshot"] = fake._calls["/api/export/snapshot"] + 3
    first = sync(engine, fake)
    assert first.error and "HTTP 500" in first.error and first.phase == "snapshot"
    assert "onderbroken" in first.summary()
    stored = CouncilStore(engine.catalog).sync_state("openbesluitvorming", SOURCE)
    assert stored is not None and stored.cursor  # two pages done, their cursor kept
    kept = catalog_state(engine)
    assert len(kept["files"]) == 3  # what the two finished pages brought stays

    del fake.fail_paths["/api/export/snapshot"]
    cursors = len(fake.requests)
    second = sync(engine, fake)
    assert second.error is None and second.phase == "changes"
    resumed = [q for p, q, s in fake.requests[cursors:] if p == "/api/export/snapshot"]
    assert resumed[0].get("cursor") == stored.cursor  # not from the beginning
    for name in ("motie-sleutelgeld.pdf", "afdoening.pdf", "sloopsubsidie.pdf"):
        assert fake.count(f"/files/{name}", 200) == 1, name  # nothing downloaded twice
    assert catalog_state(engine) == catalog_state(reference)


@pytest.mark.corpus
def test_429_storm_is_waited_out_and_the_catalog_is_right(
    fake: FakeOpenBesluitvorming, engine_for: Callable[..., Engine]
) -> None:
    reference = engine_for("reference")
    sync(reference, fake)

    engine = engine_for("storm")
    clock = fake.clock
    assert isinstance(clock, FakeClock)
    clock.slept.clear()
    fake.storm(6, retry_after=3)
    report = sync(engine, fake)

    assert report.error is None
    assert sum(1 for _, _, status in fake.requests if status == 429) == 6
    assert clock.slept.count(3.0) >= 6 and report.waited_seconds >= 18
    assert catalog_state(engine) == catalog_state(reference)


def test_the_client_paces_itself_below_the_rate_limit(engine_for: Callable[..., Engine]) -> None:
    clock = FakeClock()
    with FakeOpenBesluitvorming(clock=clock, source=SOURCE) as fake:
        for number in range(90):
            fake.upsert(
                f"meeting:{PREFIX}:{number:04d}",
                "Meeting",
                {"name": f"Commissie {number}", "start_date": "2025-01-01T19:00:00Z", "agenda": []},
            )
        engine = engine_for("paced", page_size=1)
        report = sync(engine, fake)
    assert report.error is None and report.meetings == 90
    assert fake.count("/api/export/snapshot") >= 90
    assert not any(status == 429 for _, _, status in fake.requests)  # never hammered
    assert sum(clock.slept) >= 25  # 92+ requests at 60 a minute after a full bucket


@pytest.mark.corpus
def test_cli_sync_prints_failures_and_a_summary_line(
    fake: FakeOpenBesluitvorming, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(tmp_path / "cli-home"),
            "sync",
            "openbesluitvorming",
            "--source",
            SOURCE,
            "--base-url",
            fake.url,
            "--no-embed",
        ],
        env={"RAADSINZICHT_INGEST_DIR": str(tmp_path / "cli-inbox")},
    )
    assert result.exit_code == 1, result.output  # one broken download
    lines = result.output.strip().splitlines()
    assert any(line.startswith("Mislukt: Bijlage") for line in lines)
    assert lines[-1].startswith("testgemeente: bijgewerkt — 8 records")
    assert "3 documenten nieuw" in lines[-1]


@pytest.mark.corpus
def test_unknown_source_and_connector_give_one_dutch_line(
    fake: FakeOpenBesluitvorming, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(tmp_path / "h"),
            "sync",
            "openbesluitvorming",
            "--source",
            "bestaatniet",
            "--base-url",
            fake.url,
            "--no-embed",
        ],
    )
    assert result.exit_code == 1
    assert "HTTP 400 (unknown_export_source)" in result.output
    result = CliRunner().invoke(
        app, ["--home", str(tmp_path / "h"), "sync", "ori", "--source", "x"]
    )
    assert result.exit_code == 2 and "Onbekende bron 'ori'" in result.output


@pytest.mark.parametrize(
    ("raw", "repaired"),
    [
        ("httphttp://example.org/a.pdf", "http://example.org/a.pdf"),
        ("httpshttps://example.org/a.pdf", "https://example.org/a.pdf"),
        ("http://https://example.org/a.pdf", "https://example.org/a.pdf"),
        ("https:/example.org/a b.pdf", "https://example.org/a%20b.pdf"),
        ("//example.org/a.pdf", "https://example.org/a.pdf"),
        (" https://example.org/a.pdf ", "https://example.org/a.pdf"),
        ("javascript:alert(1)", None),
        ("", None),
    ],
)
def test_repair_url(raw: str, repaired: str | None) -> None:
    assert repair_url(raw) == repaired


def test_a_second_council_syncs_into_its_own_collection(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """Documents of another council (generated after its formats) with a meeting whose
    agenda holds them: collection, RIS links and metadata come out per document."""
    from .municipal_fixtures import DOCUMENTS, write_documents

    soest = [d for d in DOCUMENTS if d.name.startswith("soest_")]
    paths = {p.name: p for p in write_documents(tmp_path / "soest-pdfs")}
    clock = FakeClock()
    with FakeOpenBesluitvorming(clock=clock, source="soest") as fake:
        meeting = "meeting:notubiz:gemeente:soest:77"
        fake.upsert(
            meeting,
            "Meeting",
            {
                "name": "Gemeenteraad 6 maart 2025",
                "start_date": "2025-03-06T18:30:00Z",
                "agenda": [
                    {
                        "id": "agenda_item:notubiz:gemeente:soest:771",
                        "number": "3",
                        "title": "Herinrichting Van Weedestraat",
                        "documents": [
                            {"id": f"document:notubiz:gemeente:soest:{i}", "name": d.name}
                            for i, d in enumerate(soest)
                        ],
                    }
                ],
            },
        )
        for number, document in enumerate(soest):
            fake.files[document.name] = paths[document.name].read_bytes()
            fake.upsert(
                f"document:notubiz:gemeente:soest:{number}",
                "Document",
                {
                    "name": document.name.removesuffix(".pdf"),
                    "classification": [document.classification],
                    "original_url": fake.file_url(document.name),
                    "content_type": "application/pdf",
                    "is_referenced_by": meeting,
                    "last_discussed_at": "2025-03-06T18:30:00Z",
                },
            )
        engine = engine_for("soest", page_size=3)
        report = engine.sync(
            "openbesluitvorming",
            "soest",
            base_url=fake.url,
            embed=False,
            clock=clock,
            sleep=clock.sleep,
        )
    assert report.error is None and report.documents_added == len(soest) and not report.failed
    documents = engine.documents()
    assert {c for d in documents for c in d.collections} == {"soest"}
    assert {d.organisation for d in documents} >= {"Gemeente Soest"}
    links = CouncilStore(engine.catalog).document_links([d.doc_id for d in documents])
    assert {link["agenda_item"] for link in links.values()} == {"3 Herinrichting Van Weedestraat"}
    raadsvoorstel = next(d for d in documents if "raadsvoorstel" in d.file)
    dossier = engine.dossier(raadsvoorstel.file)
    assert len(dossier.entries) == len(soest)  # the agenda item holds them all


@pytest.mark.corpus
def test_a_changed_file_that_fails_to_ingest_keeps_the_indexed_version(
    fake: FakeOpenBesluitvorming, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for()
    sync(engine, fake)
    (path,) = [r[0] for r in engine.catalog.read(
        "SELECT abs_path FROM ris_entities WHERE entity_id = ?", (MOTIE,))]  # fmt: skip
    before = Path(path).read_bytes()
    fake.files["motie-sleutelgeld.pdf"] = b"%PDF-1.7\n% afgebroken"
    fake.upsert(MOTIE, "Document", {
        "name": "Motie Y.3 SP Ga de strijd aan tegen sleutelgeld", "classification": ["Motie"],
        "original_url": fake.file_url("motie-sleutelgeld.pdf"), "content_type": "application/pdf",
        "last_discussed_at": "2025-03-13T12:30:00.000Z", "is_referenced_by": MEETING,
    })  # fmt: skip
    report = sync(engine, fake)
    assert {f.entity_id for f in report.failed} == {MOTIE, BROKEN}  # BROKEN is retried
    assert Path(path).read_bytes() == before  # the indexed file is back on disk
    assert engine.search("sleutelgeld", mode="keyword")  # and still found
    assert engine.catalog.read(
        "SELECT status, abs_path FROM ris_entities WHERE entity_id = ?", (MOTIE,)
    )[0][:] == ("failed", path)
