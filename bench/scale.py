"""Cost as the work grows (`make bench-scale`): not a test; numbers for docs/deploy.md.

Generated rating sets of the same shape as the MovieLens ratings we have (../shared/data, 610 users,
90,743 ratings), at 1x, 10x and 100x the users and ratings, over a catalogue of 1x and 10x the films:
- a generated user copies a real user's number of ratings and their values (a "template" user, drawn at
  random), and for each of the template's films takes, with probability 1/2, another film of the same
  popularity decile instead: per-user activity, the rating distribution and the items' popularity curve
  stay, the co-occurrences are perturbed;
- a catalogue of 10x the films splits every film into 10 (a rating of the film goes to one of its 10,
  drawn at random): the same ratings spread over ten times as many films, so the long tail grows.
For each size, in a child process of its own (so its peak memory is its own and an out-of-memory kill
stops only that size): the served model (`offline.training.DEFAULT_KIND` with its parameters) trained
with `fit_model` (time, peak RSS), saved and loaded again (time), then For you (`rank_for_you`, with its
reasons) for 50 users and Together (`together_picks`) for 50 pairs over a content index of that many
films (random 384-d vectors): p50 / p95 of the in-process compute, the part of a zone's latency that
grows with the data (the network, the cache and the films' details do not).
Where a member of the served model would need more than SCALE_MEMORY_GIB (default 20) for its dense films x
films matrices (EASE inverts one: three float64 copies; item-kNN builds a dense Gram matrix before keeping its
top k: three float32 ones), the served model is not trained: the report gives what it would need, and times
the members that fit (at 10x the films, ALS alone) as what could still be served.

Writes reports/scale-bench.json and reports/scale-bench.png. SCALE_SIZES=1x1,10x1 picks sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench.common import cpu_model, data_dir, pct
from kit.config import REPO_ROOT

SIZES = [(1, 1), (10, 1), (100, 1), (1, 10), (10, 10), (100, 10)]
MEMORY_GIB = float(os.environ.get("SCALE_MEMORY_GIB", "20"))
SWAP_P = 0.5
SPLIT = 10
QUERIES = 50


def real_ratings() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(user, movie, value) of the MovieLens ratings at hand."""
    path = data_dir() / "movielens-latest-small" / "ratings.csv"
    raw = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(0, 1, 2),
                     dtype=[("u", np.int64), ("m", np.int64), ("v", np.float32)])
    return raw["u"], raw["m"], raw["v"]


def generate(users_x: int, films_x: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(user, film, value) of users_x times the real users over films_x times the real films."""
    rng = np.random.default_rng(seed)
    u, m, v = real_ratings()
    films, film_pos, counts = np.unique(m, return_inverse=True, return_counts=True)
    rank = np.argsort(np.argsort(-counts, kind="stable"), kind="stable")
    decile = np.minimum(9, rank * 10 // len(films))         # popularity decile of each real film
    by_decile = [np.flatnonzero(decile == d) for d in range(10)]
    real_users, user_pos = np.unique(u, return_inverse=True)
    order = np.argsort(user_pos, kind="stable")
    starts = np.r_[0, np.cumsum(np.bincount(user_pos))]
    n_real = len(real_users)
    # the first n_real generated users are the real ones; the others copy a random template user
    templates = np.r_[np.arange(n_real), rng.integers(n_real, size=n_real * (users_x - 1))]
    lengths = starts[templates + 1] - starts[templates]
    gen_user = np.repeat(np.arange(len(templates)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    src = order[np.repeat(starts[templates], lengths) + offsets]
    pos, vals = film_pos[src].copy(), v[src]
    swap = (rng.random(len(pos)) < SWAP_P) & (gen_user >= n_real)
    for d in range(10):
        sel = swap & (decile[pos] == d)
        pos[sel] = by_decile[d][rng.integers(len(by_decile[d]), size=int(sel.sum()))]
    # a user rates a film once (a swap may land on a film the template also rated)
    _, first = np.unique(gen_user * len(films) + pos, return_index=True)
    gen_user, pos, vals = gen_user[first], pos[first], vals[first]
    ids = films[pos] * SPLIT + (rng.integers(films_x, size=len(pos)) if films_x > 1 else 0)
    return gen_user.astype(np.int64), ids.astype(np.int64), vals.astype(np.float32)


def dense_need_gib(n_items: int) -> dict[str, float]:
    """Memory of the members that hold dense films x films matrices while they fit (models.py): EASE three
    float64 copies (the Gram matrix, its inverse, the weights), item-kNN three float32 ones (the Gram
    matrix, its float32 copy, the similarities) before it keeps the top k per film."""
    return {"ease": round(3 * n_items**2 * 8 / 2**30, 2), "itemknn": round(3 * n_items**2 * 4 / 2**30, 2)}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_size(users_x: int, films_x: int) -> dict:
    """Runs in a child process: everything for one size."""
    from services.recommender.content import ContentIndex
    from services.recommender.offline.training import (
        DEFAULT_KIND,
        DEFAULT_PARAMS,
        MIN_ITEM_RATINGS,
        fit_model,
        load_latest,
        save_model,
    )
    from services.recommender.ratings import Ratings
    from services.recommender.tastes import Taste
    from services.recommender.zones.for_you import DEFAULT_BLEND, rank_for_you
    from services.recommender.zones.together import together_picks

    t0 = time.perf_counter()
    u, m, v = generate(users_x, films_x)
    gen_s = time.perf_counter() - t0
    row: dict = {"users_x": users_x, "films_x": films_x, "users": int(len(np.unique(u))), "ratings": int(len(u)),
                 "films_rated": int(len(np.unique(m))), "generate_s": round(gen_s, 1)}
    _, counts = np.unique(m, return_counts=True)
    n_items = int((counts >= MIN_ITEM_RATINGS).sum())
    row["films_in_model"] = n_items
    need = dense_need_gib(n_items)
    row["ease_dense_gib"] = need["ease"]
    row["itemknn_dense_gib"] = need["itemknn"]
    members = DEFAULT_PARAMS[DEFAULT_KIND].get("members", {DEFAULT_KIND: DEFAULT_PARAMS[DEFAULT_KIND]})
    too_big = {name: need[name] for name in members if need.get(name, 0.0) > MEMORY_GIB}
    kind, params = DEFAULT_KIND, DEFAULT_PARAMS[DEFAULT_KIND]
    if too_big:
        row["skipped"] = (f"the served model ({DEFAULT_KIND}) does not fit: for {n_items:,} films "
                          + ", ".join(f"its {name} member needs about {gib:.0f} GiB" for name, gib in too_big.items())
                          + f" (dense films x films matrices); the limit is {MEMORY_GIB:.0f} GiB of this machine's 24")
        # What can still be served at this size: the members that fit, timed the same way.
        fit = {name: p for name, p in members.items() if name not in too_big}
        if not fit:
            return row
        if len(fit) == 1:
            kind, params = next(iter(fit.items()))
        else:
            weights = DEFAULT_PARAMS["ensemble"]["weights"]
            kind, params = "ensemble", {**DEFAULT_PARAMS["ensemble"], "members": fit,
                                        "weights": {k: w for k, w in weights.items() if k in fit}}
        row["fallback"] = f"{' + '.join(fit)} alone: the members of the served ensemble that fit"
    ratings = Ratings(user_ids=u.astype(str), movie_ids=m, values=v, ts=np.zeros(len(u), dtype=np.int64))
    rss_before = peak_rss_mib()
    t0 = time.perf_counter()
    model, counts_in = fit_model(ratings, kind, params)
    row["train_s"] = round(time.perf_counter() - t0, 2)
    row["train_peak_rss_mib"] = round(peak_rss_mib(), 0)
    row["rss_before_train_mib"] = round(rss_before, 0)
    tmp = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        save_model(model, tmp, "v1", {"counts": counts_in})
        row["model_on_disk_mib"] = round(sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file()) / 2**20, 1)
        del model
        t0 = time.perf_counter()
        loaded = load_latest(tmp)
        row["load_s"] = round(time.perf_counter() - t0, 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert loaded is not None
    # the content index: every film of the catalogue (rated or not), random story vectors
    rng = np.random.default_rng(11)
    film_ids = np.unique(m)
    n = len(film_ids)
    pop = np.zeros(n, dtype=np.float32)
    ids_sorted, cts = np.unique(m, return_counts=True)
    pop[np.searchsorted(film_ids, ids_sorted)] = cts
    content = ContentIndex(film_ids, rng.standard_normal((n, 384), dtype=np.float32),
                           (100 * np.argsort(np.argsort(pop)) / max(1, n - 1)).astype(np.float32),
                           pop.astype(np.int64), rng.uniform(5, 8, n).astype(np.float32))

    state = SimpleNamespace(model=loaded.model, content=content, blend=DEFAULT_BLEND)  # what the zones read
    _, user_pos = np.unique(u, return_inverse=True)
    order = np.argsort(user_pos, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(user_pos[order]) != 0])
    ends = np.r_[starts[1:], len(order)]

    def taste(i: int) -> Taste:
        sel = order[starts[i]:ends[i]]
        hist = {int(a): float(b) for a, b in zip(m[sel], v[sel], strict=True)}
        return Taste(user_id=str(i), username=str(i), ratings=hist, seen=frozenset(hist), dismissed=frozenset(),
                     partners=frozenset())

    picks = rng.choice(len(starts), size=(QUERIES, 2), replace=True)
    fy, tg = [], []
    for a, b in picks:
        ta, tb = taste(int(a)), taste(int(b))
        t0 = time.perf_counter()
        rank_for_you(state.model, content, ta.ratings, set(ta.seen), 20)
        fy.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        together_picks(state, [ta, tb], 20)
        tg.append((time.perf_counter() - t0) * 1000)
    row["for_you_ms"] = {"p50": pct(fy, 0.5), "p95": pct(fy, 0.95)}
    row["together_ms"] = {"p50": pct(tg, 0.5), "p95": pct(tg, 0.95)}
    row["peak_rss_mib"] = round(peak_rss_mib(), 0)
    return row


def plot(rows: list[dict], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for films_x, colour in ((1, "C0"), (10, "C1")):
        for served, style in ((True, "o-"), (False, "^:")):
            done = [r for r in rows if r["films_x"] == films_x and "train_s" in r and ("fallback" not in r) == served]
            if not done:
                continue
            x = [r["ratings"] for r in done]
            label = f"catalogue x{films_x}" + ("" if served else f", {done[0]['fallback'].split(' alone')[0]} alone")
            axes[0].plot(x, [r["train_s"] for r in done], style, color=colour, label=label)
            axes[1].plot(x, [r["train_peak_rss_mib"] / 1024 for r in done], style, color=colour, label=label)
            axes[2].plot(x, [r["for_you_ms"]["p50"] for r in done], style, color=colour, label=f"For you, {label}")
            axes[2].plot(x, [r["together_ms"]["p50"] for r in done], style, color=colour, alpha=0.5,
                         label=f"Together, {label}")
        over = [r for r in rows if r["films_x"] == films_x and "skipped" in r]
        if over:  # what the served model would need where it does not fit
            axes[1].plot([r["ratings"] for r in over], [r["ease_dense_gib"] + r["itemknn_dense_gib"] for r in over],
                         "x", color=colour, markersize=9, label=f"catalogue x{films_x}: served model would need")
    axes[1].axhline(MEMORY_GIB, color="grey", lw=0.8, ls="--")
    axes[1].annotate(f"{MEMORY_GIB:.0f} GiB limit", (rows[0]["ratings"] if rows else 1, MEMORY_GIB * 1.08), fontsize=7)
    titles = ("training time, s", "peak memory while training, GiB", "in-process zone compute p50, ms")
    for ax, t in zip(axes, titles, strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("ratings")
        ax.set_title(t, fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle(f"make bench-scale: the served model at 1x-100x the ratings ({cpu_model()})", fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", help="USERSxFILMS: run one size here and print its row (used by the parent)")
    args = ap.parse_args(argv)
    if args.one:
        ux, fx = (int(x) for x in args.one.split("x"))
        print(json.dumps(one_size(ux, fx)))
        return 0
    wanted = os.environ.get("SCALE_SIZES")
    sizes = [tuple(int(x) for x in s.split("x")) for s in wanted.split(",")] if wanted else SIZES
    rows = []
    for ux, fx in sizes:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.scale", "--one", f"{ux}x{fx}"], cwd=REPO_ROOT,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            rows.append({"users_x": ux, "films_x": fx, "failed": f"exit {proc.returncode}",
                         "stderr": proc.stderr[-2000:]})
        else:
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        rows[-1]["wall_s"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(rows[-1]), flush=True)
    reports = REPO_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    result = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "memory_limit_gib": MEMORY_GIB, "gpu": "none on this machine: training on torch/CUDA not timed",
              "sizes": rows}
    (reports / "scale-bench.json").write_text(json.dumps(result, indent=2) + "\n")
    plot(rows, reports / "scale-bench.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
