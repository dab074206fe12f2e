"""Embedding model benchmark: `python -m bench.embed_model [--texts 2000]`. Not a test: numbers for
docs and for the int8/fp32 decision.

On the same N real catalogue texts (story-like "{title}. {overview}" from the TMDB top-10k csv, first
N rows), in one run, backends interleaved (order rotated each round, median of the rounds):
- throughput at batch 32 (texts/s, tokenisation included, length-sorted batches for every backend):
  PyTorch fp32 (transformers, same mean pooling + normalisation), ONNX fp32 and ONNX int8 through
  the serving class `Encoder`; the served path is the precision `choose_precision` picks;
- single-text latency of `Encoder.encode_one` (p50/p90): the same catalogue texts (~65 tokens), both
  precisions alternated in blocks; and a short query-like text;
- int8 vs fp32: cosine min/mean and mean top-10 neighbour overlap on the N texts.
Writes reports/embed-model-bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from bench.common import cpu_model
from kit.config import REPO_ROOT, usable_cores
from services.embedder.model.encoder import Encoder, choose_precision, read_manifest
from services.embedder.model.export import (
    DEFAULT_MODEL_DIR,
    TorchEncoder,
    catalogue_texts,
    compare,
    cosines,
    ensure_model,
)

REPORT = REPO_ROOT / "reports" / "embed-model-bench.json"
BATCH = 32


def _pct(xs: list[float], q: float) -> float:
    return round(float(np.percentile(xs, q)), 2)


def measure(n_texts: int = 2000, model_dir: Path = DEFAULT_MODEL_DIR, rounds: int = 3,
            single_texts: int = 300) -> dict:
    model_dir = ensure_model(model_dir)
    manifest = read_manifest(model_dir)
    if manifest is None:  # ensure_model leaves a valid export or raises
        raise RuntimeError(f"no model export in {model_dir}")
    served = choose_precision(manifest)
    max_length = manifest["max_length"]
    cores = usable_cores()
    texts = catalogue_texts(n_texts)

    encoders = {p: Encoder(model_dir, p, max_length) for p in ("fp32", "int8")}
    torch_enc = TorchEncoder(max_length, threads=cores)
    backends = {"torch": torch_enc.encode, "onnx_fp32": encoders["fp32"].encode,
                "onnx_int8": encoders["int8"].encode}
    for fn in backends.values():  # warm-up: allocators, thread pools, kernels
        fn(texts[:64], BATCH)

    rates: dict[str, list[float]] = {k: [] for k in backends}
    vectors: dict[str, np.ndarray] = {}
    names = list(backends)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            t = time.perf_counter()
            v = backends[name](texts, BATCH)
            rates[name].append(len(texts) / (time.perf_counter() - t))
            vectors.setdefault(name, v)
    tps = {k: round(statistics.median(v), 1) for k, v in rates.items()}

    # single text, catalogue texts: the precisions alternate in blocks of 50 calls, not call by call
    # (a session's idle intra-op threads spin for a moment after each run and would slow the other's)
    lat: dict[str, list[float]] = {"fp32": [], "int8": []}
    sample = texts[:single_texts]
    for start in range(0, len(sample), 50):
        for p, enc in encoders.items():
            for text in sample[:5]:
                enc.encode_one(text)
            for text in sample[start:start + 50]:
                t = time.perf_counter()
                enc.encode_one(text)
                lat[p].append((time.perf_counter() - t) * 1000)
    short = "a boy wizard goes to a school of magic"
    short_lat = []
    for _ in range(100):
        t = time.perf_counter()
        encoders[served].encode_one(short)
        short_lat.append((time.perf_counter() - t) * 1000)

    q = compare(vectors["onnx_fp32"], vectors["onnx_int8"])
    lengths = encoders["fp32"].token_counts(texts)
    served_key = f"onnx_{served}"
    out = {
        "texts": len(texts),
        "text_kind": "title. overview, TMDB top-10k csv, first rows",
        "batch_size": BATCH,
        "max_length": max_length,
        "rounds": rounds,
        "tokens_per_text_mean": round(float(np.mean(lengths)), 1),
        "texts_truncated_share": round(float(np.mean(np.array(lengths) >= max_length)), 3),
        "torch_texts_per_s": tps["torch"],
        "onnx_fp32_texts_per_s": tps["onnx_fp32"],
        "onnx_int8_texts_per_s": tps["onnx_int8"],
        "served_texts_per_s": tps[served_key],
        "served_precision": served,
        "served_vs_torch": round(tps[served_key] / tps["torch"], 2),
        "single_text_ms_p50": _pct(lat[served], 50),
        "single_text_ms_p90": _pct(lat[served], 90),
        "single_text_ms_p50_by_precision": {p: _pct(v, 50) for p, v in lat.items()},
        "single_short_text_ms_p50": _pct(short_lat, 50),
        "int8_cosine_min": q["cosine_min"],
        "int8_cosine_mean": q["cosine_mean"],
        "int8_top10_overlap": q["top10_overlap"],
        "int8_recipe": manifest["int8"]["recipe"],
        "onnx_fp32_vs_torch_cosine_min": round(float(cosines(vectors["torch"], vectors["onnx_fp32"]).min()), 6),
        "rounds_texts_per_s": {k: [round(x, 1) for x in v] for k, v in rates.items()},
        "machine": {"cores": cores, "provider": encoders[served].provider, "cpu": cpu_model(),
                    "onnxruntime": ort.__version__, "python": platform.python_version()},
    }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.embed_model", description=__doc__.split("\n")[0])
    p.add_argument("--texts", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--model-dir", type=Path,
                   default=Path(os.environ.get("EMBEDDER_MODEL_DIR", DEFAULT_MODEL_DIR)))
    p.add_argument("--out", type=Path, default=REPORT)
    args = p.parse_args(argv)
    from kit.logging import configure_logging

    configure_logging("bench", "WARNING", json=False)
    out = measure(args.texts, args.model_dir, args.rounds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(out, indent=2) + "\n")
    os.replace(tmp, args.out)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
