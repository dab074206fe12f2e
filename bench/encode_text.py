"""EncodeText under concurrent calls (`make bench-encode-text`): the embedder's batching of overlapping calls
(services/embedder/text_batcher.py) against one encode per call, paired, one run.

In process, no gRPC: the served encoder as the embedder service loads it (`load_encoder`, its threads, no
spinning) behind the pipeline's encode lock, and TextBatcher with up to 64 texts per encode ("batched") or 1
("one by one", what EncodeText did before). 20 concurrent callers, one mood text each per call, the 1,000
distinct texts of `make bench-recs` (mood x kind x twist); four turns, one by one / batched alternated. Reports
each turn's p50 / p95 per call, calls/s and encoder calls, and the ratios of the medians. Writes
reports/encode-text-bench.json.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import time
from typing import cast

import asyncpg

from bench.common import cpu_model, pct
from bench.recs import KINDS, MOODS, TWISTS, run_clients
from kit.config import REPO_ROOT
from services.embedder.__main__ import load_encoder
from services.embedder.config import EmbedderConfig
from services.embedder.pipeline import Pipeline
from services.embedder.text_batcher import TextBatcher

CLIENTS = 20


async def turn(batcher: TextBatcher, texts: list[str]) -> dict:
    t0 = time.perf_counter()
    lat = await run_clients([lambda t=t: batcher.encode([t]) for t in texts], CLIENTS)
    wall = time.perf_counter() - t0
    return {"p50_ms": pct(lat, 0.5), "p95_ms": pct(lat, 0.95), "calls_per_s": round(len(texts) / wall, 1),
            "encoder_calls": batcher.encodes}


async def measure() -> dict:
    cfg = EmbedderConfig()
    encoder = load_encoder(cfg, spinning=cfg.spin_threads)
    pipeline = Pipeline(encoder, pool=cast("asyncpg.Pool", None), batch_size=cfg.encode_batch_size)  # encode: no db
    texts = [f"{m} {k} {t}" for m, k, t in itertools.product(MOODS, KINDS, TWISTS)]
    await pipeline.encode(texts[:32])  # warm
    turns = []
    for i, mode in enumerate(("one by one", "batched", "one by one", "batched")):
        batcher = TextBatcher(pipeline.encode, 1 if mode == "one by one" else cfg.max_texts)
        row = {"turn": i + 1, "mode": mode, **await turn(batcher, texts[(i % 2) * 500:][:500])}
        print(json.dumps(row), flush=True)
        turns.append(row)

    def med(mode: str, key: str) -> float:
        return statistics.median(t[key] for t in turns if t["mode"] == mode)

    return {"encoder": encoder.name, "clients": CLIENTS, "calls_per_turn": 500, "turns": turns,
            "one_by_one_over_batched": {k: round(med("one by one", k) / med("batched", k), 2)
                                        for k in ("p50_ms", "p95_ms")},
            "batched_calls_per_s_ratio": round(med("batched", "calls_per_s") / med("one by one", "calls_per_s"), 2)}


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = asyncio.run(measure())
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "in_process": True, **result}
    (REPO_ROOT / "reports").mkdir(exist_ok=True)
    (REPO_ROOT / "reports" / "encode-text-bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("one_by_one_over_batched", "batched_calls_per_s_ratio")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
