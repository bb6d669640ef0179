"""Evaluation harness: dataset validation, matching, metrics, and a small run end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from raadsinzicht.answer_eval import contains_answer
from raadsinzicht.chunk import page_texts
from raadsinzicht.engine import build_engine
from raadsinzicht.evaluate import (
    DatasetError,
    EvalItem,
    GoldSource,
    Retrieved,
    distinct,
    evaluate,
    first_rank,
    gold_targets,
    load_dataset,
    parse_item,
    percentile,
    resolve_file,
    run_evaluation,
    run_system,
    summarize,
)
from raadsinzicht.index.catalog import ChunkRecord
from raadsinzicht.settings import load_settings

from .fake_ollama import NOT_FOUND_ANSWER, FakeOllama, prompt_text
from .pdfs import motie_text, write_pdf

SLEUTELGELD = "moties/denhaag_2025_motie_sp_sleutelgeld.pdf"
AFDOENING = "moties/denhaag_2025_afdoening_motie-sleutelgeld.pdf"
HOLOCAUST = "moties/denhaag_2025_motie_vvd_holocaust-herinneren.pdf"
SLOOP = "moties/denhaag_2025_amendement_sp_sloopsubsidie.pdf"
MODEL = "gemma3:4b"


def _record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "q1",
        "question": "Welke partij diende de motie in?",
        "kind": "lookup",
        "answers": ["SP"],
        "sources": [{"file": SLEUTELGELD, "pages": [1]}],
    }
    record.update(overrides)
    return record


def _item(id: str, kind: str, sources: list[tuple[str, list[int]]]) -> EvalItem:
    answers = () if kind == "unanswerable" else ("x",)
    gold = tuple(GoldSource(file, tuple(pages)) for file, pages in sources)
    return EvalItem(id, f"vraag {id}", kind, answers, gold)


# -- metrics ------------------------------------------------------------------------------


def test_summarize_exact_numbers() -> None:
    metrics = summarize([1, 2, 6, None])
    assert metrics.n == 4
    assert metrics.hit_at_1 == 0.25
    assert metrics.hit_at_5 == 0.5
    assert metrics.hit_at_10 == 0.75
    assert metrics.mrr_at_10 == pytest.approx((1 + 1 / 2 + 1 / 6) / 4)
    # A rank beyond 10 counts for nothing; no questions gives zeros, not a crash.
    assert summarize([11]).mrr_at_10 == 0.0 and summarize([11]).hit_at_10 == 0.0
    assert summarize([]).n == 0 and summarize([]).hit_at_5 == 0.0


def test_document_ranks_count_distinct_documents() -> None:
    ranking = [("a", 1), ("a", 2), ("b", 1), ("a", 3), ("c", 5)]
    docs = distinct(doc for doc, _ in ranking)
    assert docs == ["a", "b", "c"]
    assert first_rank(docs, {"c"}) == 3  # third distinct document, fifth hit
    assert first_rank(distinct(ranking), {("a", 3)}) == 4
    assert first_rank(docs, {"z"}) is None


def test_percentile_interpolates_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) == 0.0


class _FakeSystem:
    """Hand-made rankings per question id (the question text is 'vraag <id>')."""

    name = "fake"
    label = "nep"

    def __init__(self, rankings: dict[str, list[tuple[str, int]]]) -> None:
        self._rankings = rankings

    def documents(self) -> dict[str, list[str]]:
        return {"A": ["m/a.pdf"], "B": ["m/b.pdf"], "C": ["n/c.pdf"]}

    def retrieve(self, question: str, k: int) -> list[Retrieved]:
        ranking = self._rankings.get(question.removeprefix("vraag "), [])
        names = self.documents()
        return [Retrieved(doc, names[doc][0], page, 1.0) for doc, page in ranking[:k]]


def test_run_system_scores_documents_pages_kinds_and_misses() -> None:
    items = [
        _item("1", "factoid", [("m/a.pdf", [2])]),  # doc rank 1, page rank 2
        _item("2", "factoid", [("m/b.pdf", [1]), ("n/c.pdf", [4])]),  # doc rank 2, page missed
        _item("3", "lookup", [("c.pdf", [1])]),  # by file name; not retrieved at all
        _item("4", "unanswerable", []),  # run, not scored
    ]
    system = _FakeSystem(
        {
            "1": [("A", 1), ("A", 2), ("B", 1)],
            "2": [("A", 1), ("A", 3), ("C", 3), ("B", 9)],
            "3": [("A", 1), ("B", 1)],
            "4": [("B", 2)],
        }
    )
    report = run_system(system, items, top_k=10)  # type: ignore[arg-type]
    assert report.document.n == 3 and report.page.n == 3
    assert report.document.hit_at_1 == pytest.approx(1 / 3)
    assert report.document.hit_at_5 == pytest.approx(2 / 3)
    assert report.document.mrr_at_10 == pytest.approx((1 + 1 / 2 + 0) / 3)
    assert report.page.hit_at_1 == 0.0
    assert report.page.hit_at_5 == pytest.approx(1 / 3)
    assert report.page.mrr_at_10 == pytest.approx((1 / 2) / 3)
    assert report.per_kind["factoid"]["document"].hit_at_5 == 1.0
    assert report.per_kind["lookup"]["document"].hit_at_10 == 0.0
    assert "unanswerable" not in report.per_kind
    assert [(level, item.id) for level, item in report.misses()] == [
        ("page", "2"),
        ("document", "3"),
    ]
    assert len(report.items) == 4 and report.items[3].doc_rank is None
    data = report.to_dict()
    json.dumps(data)
    assert data["misses"][1]["retrieved"] == ["m/a.pdf p. 1", "m/b.pdf p. 1"]


# -- matching -------------------------------------------------------------------------------


def test_resolve_by_relative_path_then_file_name() -> None:
    documents = {
        "d1": ["moties/x.pdf"],
        "d2": ["woo/x.pdf"],
        "d3": ["beleid/y.pdf", "kopie/y2.pdf"],  # identical content under two names
    }
    assert resolve_file("moties/x.pdf", documents) == {"d1"}  # the path decides
    assert resolve_file("./woo/x.pdf", documents) == {"d2"}
    assert resolve_file("kopie/y2.pdf", documents) == {"d3"}  # any of a document's names
    # Fallback: path not indexed (other root or bare name) → same file name.
    assert resolve_file("elders/y.pdf", documents) == {"d3"}
    assert resolve_file("x.pdf", documents) == {"d1", "d2"}
    assert resolve_file("z.pdf", documents) == set()

    item = _item("1", "factoid", [("moties/x.pdf", [1, 2]), ("onbekend.pdf", [3])])
    docs, pages, unresolved = gold_targets(item, documents)
    assert docs == {"d1"} and pages == {("d1", 1), ("d1", 2)}
    assert unresolved == ["onbekend.pdf"]


def test_page_texts_rebuilds_pages_from_overlapping_chunks() -> None:
    def chunk(seq: int, text: str, spans: list[tuple[int, int, int]]) -> ChunkRecord:
        return ChunkRecord(f"c{seq}", "d", seq, text, "", spans[0][0], spans, [], 10)

    chunks = [
        chunk(0, "Alpha beta.\n\nGamma delta.", [(1, 0, 25)]),
        chunk(1, "Gamma delta.\n\nEpsilon.", [(1, 13, 35)]),  # overlap with chunk 0
        chunk(2, "Epsilon.\n\nZeta op twee.", [(1, 27, 35), (2, 0, 13)]),  # two pages
    ]
    assert page_texts(chunks) == {
        1: "Alpha beta.\n\nGamma delta.\n\nEpsilon.",
        2: "Zeta op twee.",
    }


# -- dataset validation -----------------------------------------------------------------------


def test_load_dataset_reads_valid_lines_and_ignores_extra_fields(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    lines = [
        _record(paraphrased=True, note="extra"),
        "",
        _record(id="q2", kind="unanswerable", answers=[], sources=[]),
    ]
    path.write_text("\n".join(json.dumps(x) if x else "" for x in lines) + "\n")
    items = load_dataset(path)
    assert [i.id for i in items] == ["q1", "q2"]
    assert items[0].sources == (GoldSource(SLEUTELGELD, (1,)),)
    assert items[0].line == 1 and items[1].line == 3
    assert items[0].answerable and not items[1].answerable


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ([1, 2], "geen JSON-object"),
        (_record(id=""), "'id'"),
        (_record(question=None), "'question'"),
        (_record(kind="trivia"), "onbekende kind 'trivia'"),
        (_record(answers="SP"), "'answers' moet een lijst"),
        (_record(sources=[{"file": "a.pdf", "pages": [0]}]), "sources[0].pages"),
        (_record(sources=[{"file": "a.pdf", "pages": [True]}]), "sources[0].pages"),
        (_record(sources=[{"pages": [1]}]), "sources[0].file"),
        (_record(sources=[]), "minstens één bron"),
        (_record(answers=[]), "minstens één antwoord"),
        (_record(kind="unanswerable"), "lege 'answers' en 'sources'"),
    ],
)
def test_parse_item_rejects(record: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_item(record)


def test_load_dataset_reports_every_bad_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(_record()),
                '{"id": "q2", "question": ',  # truncated JSON
                json.dumps(_record(id="q3", kind="quiz")),
                json.dumps(_record()),  # duplicate id
            ]
        )
    )
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{path}:2: geen geldige JSON")
    assert lines[1].startswith(f"{path}:3: onbekende kind 'quiz'")
    assert lines[2] == f"{path}:4: id 'q1' komt al voor op regel 1"

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(DatasetError, match="bevat geen vragen"):
        load_dataset(empty)
    with pytest.raises(DatasetError, match="kan niet gelezen worden"):
        load_dataset(tmp_path / "missing.jsonl")


# -- end to end ------------------------------------------------------------------------------


@pytest.mark.corpus
def test_evaluate_keyword_run_on_corpus_files(corpus_dir: Path, tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "home", ingest_dir=corpus_dir)
    engine = build_engine(settings)
    files = [SLEUTELGELD, AFDOENING, HOLOCAUST, SLOOP]
    report = engine.ingest([corpus_dir / f for f in files], embed=False)
    assert report.failed == []
    records = [
        _record(id="e1", question="Wie diende de motie tegen sleutelgeld bij studenten in?"),
        _record(
            id="e2",
            question="Gastlessen over de Holocaust voor basisscholieren",
            sources=[{"file": HOLOCAUST, "pages": [1]}],
        ),
        _record(
            id="e3",
            question="Welke subsidieregeling voor de demontage van bestelauto's moet weer open?",
            kind="factoid",
            # Bare file name: matched through the file-name fallback.
            sources=[{"file": Path(SLOOP).name, "pages": [1]}],
        ),
        _record(
            id="e4",
            question="Welk fonds zet het college in voor huurders die sleutelgeld terugvorderen?",
            kind="explain",
            sources=[{"file": AFDOENING, "pages": [2]}],
        ),
        _record(
            id="e5",
            question="Wat kost een parkeervergunning in Maastricht?",
            kind="unanswerable",
            answers=[],
            sources=[],
        ),
    ]
    dataset = tmp_path / "mini.jsonl"
    dataset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    items = load_dataset(dataset)

    result = evaluate(engine, items, systems=("bm25",), dataset=str(dataset))
    engine.close()
    bm25 = result.systems["bm25"]
    assert result.questions == 5 and result.answerable == 4
    assert result.kinds == {"lookup": 2, "factoid": 1, "explain": 1, "unanswerable": 1}
    assert bm25.document.n == 4 and bm25.document.hit_at_5 == 1.0
    assert bm25.page.hit_at_10 == 1.0
    ranks = {item.id: item.doc_rank for item in bm25.items}
    assert ranks["e2"] == 1 and ranks["e3"] == 1 and ranks["e5"] is None
    assert bm25.unresolved_sources == [] and result.warnings == []
    assert bm25.latency_p95_ms >= bm25.latency_p50_ms > 0
    data = result.to_dict()
    assert data["unanswerable"] == 1 and data["systems"]["bm25"]["answers"] is None
    assert data["targets"] == []  # targets are about the full retriever
    json.dumps(data)


def _cli(*args: str) -> Result:
    """The CLI in-process (a subprocess would pay ~5 s of imports per call)."""
    return _cli_env({}, list(args))


def _cli_env(env: dict[str, str], args: list[str]) -> Result:
    from raadsinzicht.cli import app

    return CliRunner().invoke(app, args, env=env)


def test_cli_eval_without_a_model_says_so_before_indexing(tmp_path: Path) -> None:
    dataset = tmp_path / "set.jsonl"
    dataset.write_text(json.dumps(_record()) + "\n")
    corpus = tmp_path / "corpus"
    write_pdf(corpus / "motie.pdf", [motie_text("sleutelgeld", "SP")])
    with FakeOllama(models=()) as ollama:  # Ollama runs, but without the chat model
        result = _cli_env(
            {
                "RAADSINZICHT_LLM__PROVIDER": "ollama",
                "RAADSINZICHT_LLM__OLLAMA_URL": ollama.url,
                "RAADSINZICHT_LLM__OLLAMA_MODEL": MODEL,
            },
            ["--home", str(tmp_path / "home"), "eval", str(dataset), "--corpus", str(corpus)],
        )
    assert result.exit_code == 2, result.output
    assert f"ollama pull {MODEL}" in " ".join(result.stderr.split())
    for catalog in (tmp_path / "home").rglob("catalog.sqlite3"):  # nothing indexed
        with sqlite3.connect(catalog) as db:
            assert db.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_cli_eval_reports_a_bad_dataset_line(tmp_path: Path) -> None:
    dataset = tmp_path / "set.jsonl"
    dataset.write_text(json.dumps(_record(kind="quiz")) + "\n")
    result = _cli(
        "--home",
        str(tmp_path / "home"),
        "eval",
        str(dataset),
        "--corpus",
        str(tmp_path),
        "--no-llm",
    )
    assert result.exit_code == 2
    assert f"{dataset}:1: onbekende kind 'quiz'" in " ".join(result.stderr.split())
    assert not (tmp_path / "home").exists()  # validated before anything is indexed


def test_run_evaluation_compare_on_a_tiny_corpus_and_reuse(
    make_settings, embedder, tmp_path: Path
) -> None:
    """All four systems, with real embeddings, over two small PDFs; the second run reuses
    the evaluation index and the persisted llama-index baseline."""
    corpus = tmp_path / "corpus"
    write_pdf(corpus / "moties" / "fiets.pdf", [motie_text("fietsparkeren", "GroenLinks")])
    write_pdf(
        corpus / "besluiten" / "bomen.pdf",
        ["Inleiding over de gemeente.", motie_text("kappen van bomen in het park", "PvdD")],
    )
    dataset = tmp_path / "set.jsonl"
    records = [
        _record(
            id="t1",
            question="Wie wil dat fietsparkeren wordt onderzocht?",
            sources=[{"file": "moties/fiets.pdf", "pages": [1]}],
        ),
        _record(
            id="t2",
            question="bomen kappen in het park",
            kind="factoid",
            sources=[{"file": "besluiten/bomen.pdf", "pages": [2]}],
        ),
        _record(id="t3", kind="unanswerable", answers=[], sources=[]),
    ]
    dataset.write_text("".join(json.dumps(r) + "\n" for r in records))
    settings = make_settings()
    stages: set[str] = set()

    def progress(stage: str, done: int, total: int, detail: str) -> None:
        stages.add(stage)

    first = run_evaluation(
        settings, dataset, corpus, compare=True, progress=progress, embedder=embedder
    )
    assert list(first.systems) == ["llamaindex", "bm25", "vector", "raadsinzicht"]
    assert {"parse", "embed", "baseline-parse", "baseline-embed"} <= stages
    for system in first.systems.values():
        assert system.document.hit_at_10 == 1.0, system.name
    llama = first.systems["llamaindex"]
    assert llama.items[1].retrieved[0].describe() == "besluiten/bomen.pdf p. 2"
    assert first.index["reused"] is False and first.index["documents"] == 2
    home = Path(first.index["home"])
    assert home.is_relative_to(settings.home / "eval")

    stages.clear()
    second = run_evaluation(
        settings, dataset, corpus, compare=True, progress=progress, embedder=embedder
    )
    assert second.index["reused"] is True and second.index["home"] == str(home)
    assert "baseline-embed" not in stages and "embed" not in stages
    assert second.systems["llamaindex"].build_seconds == 0.0
    assert (
        second.to_dict()["systems"]["raadsinzicht"]["document"]
        == (first.to_dict()["systems"]["raadsinzicht"]["document"])
    )


# -- answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        ("De raad besloot op 04-02-2025.", "4 februari 2025"),
        ("Het krediet is 150.000 euro.", "€ 150.000"),
        ("Het gaat om 36,6 miljoen.", "€ 36,6 mln"),
        ("Een kwart: 25 procent van de woningen.", "25%"),
        ("Het perceel is 335 m² groot.", "335 m2"),
        ("De financiele bijdrage", "financiële bijdrage"),
        ("Uitspraak ECLI:NL:RBDHA:2023:15385.", "ECLI:NL:RBDHA:2023:15385"),
        ("ingediend door de SP [1].", "SP"),
        ("Partij: Partij voor de Dieren [1]", "PvdD"),  # a party by any of its names
    ],
)
def test_accepted_answers_match_after_normalisation(answer: str, accepted: str) -> None:
    assert contains_answer(answer, [accepted])


@pytest.mark.parametrize(
    ("answer", "accepted"),
    [
        ("Er zijn 1700 bestelbusjes gesloopt.", "700"),
        ("De SP-fractie", "VVD"),
        ("Partij: Partij van de Arbeid", "PvdD"),
        ("Dit staat niet in de geïndexeerde documenten.", "SP"),
        ("in 2025 200 woningen", "2025200"),
        ("Het besluit is van 5 februari 2025.", "4 februari 2025"),
    ],
)
def test_wrong_answers_do_not_match(answer: str, accepted: str) -> None:
    assert not contains_answer(answer, [accepted])


@pytest.mark.corpus
def test_answer_evaluation_through_the_model(corpus_dir: Path, tmp_path: Path) -> None:
    """Every question asked through the (fake) model: accuracy, citations, refusals."""

    def scripted(body: dict[str, Any]) -> str:
        text = prompt_text(body)
        if "Welke partij diende de motie over sleutelgeld" in text:
            return NOT_FOUND_ANSWER  # the model refuses what the sources answer
        if "sleutelgeld bij studenten" in text:
            return "De motie is ingediend door de SP [1]."
        if "Welk fonds" in text:
            # Wrong (not the proceskostenfonds) but in the words of what the model saw.
            return "Huurders die sleutelgeld hebben betaald moeten dit melden [1]."
        return NOT_FOUND_ANSWER

    files = [SLEUTELGELD, AFDOENING, HOLOCAUST, SLOOP]
    records = [
        _record(id="a1", question="Wie diende de motie tegen sleutelgeld bij studenten in?"),
        _record(
            id="a2",
            question="Welk fonds zet het college in voor huurders die sleutelgeld terugvorderen?",
            kind="explain",
            answers=["proceskostenfonds"],
            sources=[{"file": AFDOENING, "pages": [2]}],
        ),
        _record(
            id="a3",
            question="Wat kost een parkeervergunning in Maastricht?",
            kind="unanswerable",
            answers=[],
            sources=[],
        ),
        _record(id="a4", question="Welke partij diende de motie over sleutelgeld in?"),
    ]
    dataset = tmp_path / "set.jsonl"
    dataset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    with FakeOllama(models=(MODEL,)) as ollama:
        ollama.responder = scripted
        settings = load_settings(
            home=tmp_path / "home",
            ingest_dir=corpus_dir,
            llm={"provider": "ollama", "ollama_url": ollama.url, "ollama_model": MODEL},
        )
        engine = build_engine(settings)
        try:
            assert engine.ingest([corpus_dir / f for f in files], embed=False).failed == []
            report = evaluate(engine, load_dataset(dataset), answers=True)
        finally:
            engine.close()
    answers = report.systems["raadsinzicht"].answers
    assert answers is not None and report.llm
    by_id = {item["id"]: item for item in answers["items"]}
    assert by_id["a1"]["correct"] is True and by_id["a2"]["correct"] is False
    assert by_id["a3"]["refused"] is True and by_id["a3"]["correct"] is None
    # The model refused what the sources answer: the user reads the extractive answer, so
    # its direct answer line alone is scored (with its citation); the model's own text
    # is scored apart.
    a4 = by_id["a4"]
    assert a4["answered_by"] == "bronnen" and a4["answer"] == "SP" and a4["correct"] is True
    assert a4["model_correct"] is False and a4["model_answer"] == NOT_FOUND_ANSWER
    assert a4["citations"] == [f"{SLEUTELGELD} p. 1"] and not a4["refused"]
    assert answers["answered_by"] == {"model": 2, "bronnen": 1, "weigering": 1}
    assert answers["accuracy"] == round(2 / 3, 4) and answers["model_accuracy"] == round(1 / 3, 4)
    assert answers["refusal_accuracy"] == 1.0
    assert answers["false_refusals"] == 0.0 and answers["model"] == f"ollama/{MODEL}"
    # Citation precision counts each citation of the answerable items against their gold.
    gold = {"a1": {SLEUTELGELD}, "a2": {AFDOENING}, "a4": {SLEUTELGELD}}
    cited = [(i, c.split(" p. ")[0]) for i in gold for c in by_id[i]["citations"]]
    assert len(cited) == answers["citations"] >= 2
    assert answers["citation_precision_document"] == round(
        sum(1 for i, file in cited if file in gold[i]) / len(cited), 4
    )
    items = {item.id: item for item in report.systems["raadsinzicht"].items}
    assert items["a1"].answer == by_id["a1"]["answer"]
    assert answers["seconds_p95"] >= answers["seconds_p50"] > 0
    # The answer quoted from the sources is scored too, span and evidence apart.
    extractive = answers["extractive"]
    assert by_id["a1"]["extractive"]["span"] == "SP"
    assert by_id["a1"]["extractive"]["span_correct"] is True
    assert by_id["a3"]["extractive"]["refused"] is True
    assert extractive["refusal_accuracy"] == 1.0 and extractive["span_questions"] >= 1
    assert 0 <= extractive["step_ms_p50"] <= extractive["step_ms_p95"]
    json.dumps(report.to_dict())
