"""Embedded instruct model speed: prompt processing (prefill) and generation (decode)
tokens per second for a few thread counts, with a prompt the size of a real answer prompt.

Run it once idle and once while another process keeps the CPUs busy (e.g. an ingest, or
``--busy``, which starts one CPU-bound process of its own for the run), and choose
``llm.threads`` from the numbers::

    python eval/bench_llm.py --threads 1 2 --json
    python eval/bench_llm.py --threads 1 2 --busy --json

Each configuration loads the model once and runs ``--runs`` answers; the prompt cache is
reset between runs so every run processes the whole prompt.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from raadsinzicht.llm import assemble_instruct_model

PASSAGE = (
    "De raad van de gemeente Den Haag, in vergadering bijeen op 13 maart 2025, constaterende "
    "dat huurders, vaak internationale studenten, bij het tekenen van een huurcontract "
    "sleutelgeld moeten betalen; overwegende dat het vragen van sleutelgeld verboden is; "
    "verzoekt het college om sleutelgeld actief te bestrijden en huurders te informeren. "
)
QUESTION = "Welke partij diende de motie over sleutelgeld in, en wat vraagt de motie?"


def _spin(stop: Any) -> None:  # pragma: no cover - runs in a child process
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def measure(
    model: Path, threads: int, prompt_tokens: int, answer_tokens: int, runs: int
) -> dict[str, Any]:
    from llama_cpp import Llama

    from raadsinzicht.llm import without_amx_buffers

    started = time.perf_counter()
    with without_amx_buffers():  # as the app loads it (AMX kernels crash)
        llama = Llama(
            model_path=str(model), n_ctx=4096, n_threads=threads, n_threads_batch=threads,
            verbose=False,
        )  # fmt: skip
    load_seconds = time.perf_counter() - started
    context = ""
    while len(llama.tokenize(context.encode())) < prompt_tokens:
        context += PASSAGE
    messages = [
        {"role": "system", "content": "Beantwoord de vraag kort, alleen met de passages."},
        {"role": "user", "content": f"<context>\n{context}\n</context>\n\nVraag: {QUESTION}"},
    ]
    results = []
    for _ in range(runs):
        llama.reset()
        started = time.perf_counter()
        first = None
        generated = 0
        for part in llama.create_chat_completion(
            messages=messages, stream=True, max_tokens=answer_tokens, temperature=0.0
        ):
            if part["choices"][0].get("delta", {}).get("content"):
                generated += 1
                if first is None:
                    first = time.perf_counter()
        ended = time.perf_counter()
        n_prompt = llama.n_tokens - generated
        assert first is not None
        results.append(
            {
                "prompt_tokens": n_prompt,
                "generated_tokens": generated,
                "prefill_tok_s": round(n_prompt / (first - started), 1),
                "decode_tok_s": round((generated - 1) / max(ended - first, 1e-6), 1),
                "seconds": round(ended - started, 1),
            }
        )
    llama.close()
    best = max(results, key=lambda r: r["decode_tok_s"])
    return {
        "threads": threads,
        "load_seconds": round(load_seconds, 1),
        "runs": results,
        "best": best,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=Path(".raadsinzicht/cache/models"))
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--prompt-tokens", type=int, default=800)
    parser.add_argument("--answer-tokens", type=int, default=64)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--busy", action="store_true", help="one CPU-bound process alongside")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = assemble_instruct_model(args.models)
    stop = multiprocessing.Event()
    spinner = multiprocessing.Process(target=_spin, args=(stop,)) if args.busy else None
    if spinner:
        spinner.start()
    try:
        report = {
            "model": model.name,
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "busy_process": bool(spinner),
            "configs": [
                measure(model, threads, args.prompt_tokens, args.answer_tokens, args.runs)
                for threads in args.threads
            ],
        }
    finally:
        if spinner:
            stop.set()
            spinner.join()
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    for config in report["configs"]:
        best = config["best"]
        print(
            f"threads={config['threads']}: prefill {best['prefill_tok_s']} tok/s, decode "
            f"{best['decode_tok_s']} tok/s ({best['prompt_tokens']} + "
            f"{best['generated_tokens']} tokens, {best['seconds']} s)"
        )


if __name__ == "__main__":
    main()
