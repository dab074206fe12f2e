"""Offline evaluation of the taste models, For you and taste-anchored hidden gems.

`python -m services.recommender.offline.evaluation [--holdout FILE] [--out reports/] [--tune]`

Protocol (docs/recommender-models.md):
- split: per user, the latest 10% of ratings by timestamp (ties by film id; round(0.1 n), at least 1; a user
  with a single rating keeps it in training) are held out;
- relevant: a held-out rating >= 4 of a catalogue film (a film with a vector in the content index);
- candidates: every catalogue film the user has not rated in training;
- metrics over users with at least one relevant held-out film: HR@10, NDCG@10 (binary gains), Recall@20
  (hits in the top 20 / relevant films); coverage = distinct films in any top 10 / catalogue films;
  novelty = mean over every top-10 slot of -log2(p), p = (training users who rated the film + 1) /
  (training users + 1); long tail = catalogue films outside the 20% most-rated films (by training
  ratings, among films with at least one); longtail_share = share of top-10 slots in the long tail;
  longtail_HR@10 = HR@10 over users with a relevant held-out long-tail film, counting only those films;
  mean_popularity_percentile = mean catalogue popularity percentile of the top-10 slots (for the plot).
- tuning (`--tune`) uses a validation split carved the same way from the training data only.
With `--holdout FILE` (MovieLens ratings.csv): train on every rating the database holds, test on the file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from services.recommender.content import ContentIndex
from services.recommender.models import Ensemble, Model
from services.recommender.offline import groups as group_eval
from services.recommender.offline import zone_quality
from services.recommender.offline.metrics import K_RECALL, RELEVANT_MIN, K, hit_rate, ndcg, recall
from services.recommender.offline.training import DEFAULT_KIND, DEFAULT_PARAMS, MIN_ITEM_RATINGS, fit_model
from services.recommender.ratings import Ratings
from services.recommender.zones.common import top as _top
from services.recommender.zones.for_you import DEFAULT_BLEND, BlendParams, cf_scores_on_content, rank_for_you
from services.recommender.zones.hidden_gems import rank_hidden_gems_for_taste

HOLDOUT_FRAC = 0.1
HEAD_SHARE = 0.2
GEM_MEDIAN_MAX = 60.0   # hidden gems from taste: the median popularity percentile the tuner may choose
METHODS = ("popularity", "itemknn", "ease", "als", "ensemble", "content", "for_you", "hidden_gems", "ease_longtail")
CF_KINDS = ("popularity", "itemknn", "ease", "als", "ensemble")
METRIC_KEYS = ("HR@10", "NDCG@10", "Recall@20", "coverage", "novelty", "longtail_share", "longtail_HR@10",
               "mean_popularity_percentile")


# ------------------------------------------------------------------ split


def holdout_split(ratings: Ratings, frac: float = HOLDOUT_FRAC) -> tuple[Ratings, Ratings]:
    """Per user, the latest `frac` of ratings by timestamp (ties: film id) go to test: round(frac * n),
    at least 1; a user with one rating keeps it in training."""
    test_mask = np.zeros(len(ratings), dtype=bool)
    for idx in ratings.by_user().values():
        n = len(idx)
        if n < 2:
            continue
        n_test = max(1, int(round(frac * n)))
        order = np.lexsort((ratings.movie_ids[idx], ratings.ts[idx]))
        test_mask[idx[order[-n_test:]]] = True
    return ratings.subset(~test_mask), ratings.subset(test_mask)


# ------------------------------------------------------------------ metrics


def coverage(lists: Sequence[Sequence[int]], catalogue_size: int, k: int = K) -> float:
    seen = {m for r in lists for m in r[:k]}
    return len(seen) / catalogue_size if catalogue_size else 0.0


def novelty(lists: Sequence[Sequence[int]], rated_by: Mapping[int, int], n_users: int, k: int = K) -> float:
    """Mean -log2((raters + 1) / (n_users + 1)) over every top-k slot."""
    vals = [-math.log2((rated_by.get(m, 0) + 1) / (n_users + 1)) for r in lists for m in r[:k]]
    return float(np.mean(vals)) if vals else 0.0


def longtail_share(lists: Sequence[Sequence[int]], tail: set[int], k: int = K) -> float:
    slots = [m for r in lists for m in r[:k]]
    return sum(m in tail for m in slots) / len(slots) if slots else 0.0


def head_items(rated_by: Mapping[int, int], share: float = HEAD_SHARE) -> set[int]:
    """The `share` most-rated films among films with at least one rating (ties: film id)."""
    films = sorted((m for m, c in rated_by.items() if c > 0), key=lambda m: (-rated_by[m], m))
    return set(films[: int(math.ceil(share * len(films)))])


# ------------------------------------------------------------------ evaluation


@dataclass
class UserCase:
    user: str
    history: dict[int, float]
    relevant: set[int]


def _cases(train: Ratings, test: Ratings, content: ContentIndex) -> list[UserCase]:
    hist: dict[str, dict[int, float]] = {}
    for u, m, v in zip(train.user_ids, train.movie_ids, train.values, strict=True):
        hist.setdefault(str(u), {})[int(m)] = float(v)
    rel: dict[str, set[int]] = {}
    for u, m, v in zip(test.user_ids, test.movie_ids, test.values, strict=True):
        u, m = str(u), int(m)
        if v >= RELEVANT_MIN and content.index_of(m) is not None and m not in hist.get(u, {}):
            rel.setdefault(u, set()).add(m)
    return [UserCase(u, hist.get(u, {}), r) for u, r in sorted(rel.items())]


Ranker = Callable[[UserCase], list[int]]


def make_rankers(models: Mapping[str, Model], content: ContentIndex, blend: BlendParams, tail: set[int],
                 methods: Sequence[str] = METHODS) -> dict[str, Ranker]:
    ids = content.movie_ids
    tail_mask = np.array([int(m) in tail for m in ids])

    def cf_ranker(model: Model, only: np.ndarray | None = None) -> Ranker:
        def rank(case: UserCase) -> list[int]:
            s, _ = cf_scores_on_content(model, content, case.history)
            if s is None:
                s = np.zeros(len(content), dtype=np.float32)
            mask = _exclude_mask(content, case.history)
            if only is not None:
                mask &= only
            return [int(ids[i]) for i in _top(s, mask, K_RECALL)]
        return rank

    def content_rank(case: UserCase) -> list[int]:
        p = content.profile(case.history)
        s = content.scores(p) if p is not None else content.quality
        return [int(ids[i]) for i in _top(s, _exclude_mask(content, case.history), K_RECALL)]

    def popularity_rank(case: UserCase) -> list[int]:
        s, _ = cf_scores_on_content(models["popularity"], content, {m: 5.0 for m in list(case.history)[:1]})
        if s is None:  # popularity ignores the history; a dummy history only lays the counts out
            s = np.zeros(len(content), dtype=np.float32)
        return [int(ids[i]) for i in _top(s, _exclude_mask(content, case.history), K_RECALL)]

    ease = models.get("ease")
    served = models.get(DEFAULT_KIND, ease)   # For you and hidden gems use the model the service serves
    out: dict[str, Ranker] = {}
    for name in methods:
        if name == "popularity":
            out[name] = popularity_rank
        elif name in ("itemknn", "ease", "als", "ensemble"):
            out[name] = cf_ranker(models[name])
        elif name == "content":
            out[name] = content_rank
        elif name == "for_you":
            out[name] = lambda c: [s.movie_id for s in rank_for_you(served, content, c.history, set(c.history),
                                                                    K_RECALL, params=blend, explain=False)]
        elif name == "hidden_gems":
            # the ceiling a user starts with in the service (no hidden-gems history yet): quality.GEM_CEILING
            out[name] = lambda c: [s.movie_id for s in rank_hidden_gems_for_taste(
                served, content, c.history, set(c.history), K_RECALL, params=blend, explain=False)]
        elif name == "ease_longtail":
            out[name] = cf_ranker(models["ease"], only=tail_mask)
    return out


def _exclude_mask(content: ContentIndex, history: Mapping[int, float]) -> np.ndarray:
    mask = np.ones(len(content), dtype=bool)
    for m in history:
        i = content.index_of(m)
        if i is not None:
            mask[i] = False
    return mask


def score_lists(lists: Sequence[list[int]], cases: Sequence[UserCase], content: ContentIndex,
                rated_by: Mapping[int, int], n_users: int, tail: set[int]) -> dict[str, float]:
    hr = [hit_rate(r, c.relevant) for r, c in zip(lists, cases, strict=True)]
    nd = [ndcg(r, c.relevant) for r, c in zip(lists, cases, strict=True)]
    rc = [recall(r, c.relevant) for r, c in zip(lists, cases, strict=True)]
    lt = [hit_rate(r, c.relevant & tail) for r, c in zip(lists, cases, strict=True) if c.relevant & tail]
    pct = [float(content.popularity_percentile[content.index_of(m)]) for r in lists for m in r[:K]]
    return {
        "HR@10": float(np.mean(hr)) if hr else 0.0,
        "NDCG@10": float(np.mean(nd)) if nd else 0.0,
        "Recall@20": float(np.mean(rc)) if rc else 0.0,
        "coverage": coverage(lists, len(content)),
        "novelty": novelty(lists, rated_by, n_users),
        "longtail_share": longtail_share(lists, tail),
        "longtail_HR@10": float(np.mean(lt)) if lt else 0.0,
        "mean_popularity_percentile": float(np.mean(pct)) if pct else 0.0,
    }


def fit_models(train: Ratings, params: Mapping[str, dict[str, Any]] | None = None,
               kinds: Sequence[str] = CF_KINDS,
               min_item_ratings: int = MIN_ITEM_RATINGS) -> tuple[dict[str, Model], dict[str, float]]:
    params = {**DEFAULT_PARAMS, **(params or {})}
    models, secs = {}, {}
    for kind in kinds:
        t0 = time.perf_counter()
        models[kind], _ = fit_model(train, kind, params[kind], min_item_ratings)
        secs[kind] = round(time.perf_counter() - t0, 2)
    return models, secs


def evaluate(train: Ratings, test: Ratings, content: ContentIndex, models: Mapping[str, Model],
             blend: BlendParams = DEFAULT_BLEND, methods: Sequence[str] = METHODS) -> dict[str, dict[str, float]]:
    rated_by: dict[int, int] = {}
    for m in train.movie_ids:
        rated_by[int(m)] = rated_by.get(int(m), 0) + 1
    n_users = len(set(map(str, train.user_ids)))
    head = head_items(rated_by)
    tail = {int(m) for m in content.movie_ids if int(m) not in head}
    cases = _cases(train, test, content)
    rankers = make_rankers(models, content, blend, tail, methods)
    out = {}
    for name, rank in rankers.items():
        lists = [rank(c) for c in cases]
        out[name] = score_lists(lists, cases, content, rated_by, n_users, tail)
    out["_counts"] = {"users_evaluated": len(cases), "users_with_longtail_relevant": sum(bool(c.relevant & tail)
                                                                                          for c in cases),
                      "head_films": len(head), "tail_films": len(tail), "train_users": n_users}
    return out


# ------------------------------------------------------------------ tuning on a validation split


def tune(train: Ratings, content: ContentIndex, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Grid search on a validation split carved from `train` (the test holdout is never looked at).
    Returns the chosen model params, blend and the whole grid."""
    fit_part, val = holdout_split(train)
    grid: dict[str, list] = {}
    best: dict[str, Any] = {}

    def run(kind: str, p: dict, min_items: int = MIN_ITEM_RATINGS) -> float:
        models, _ = fit_models(fit_part, {kind: p}, kinds=(kind,), min_item_ratings=min_items)
        r = evaluate(fit_part, val, content, models, methods=(kind,))[kind]
        grid.setdefault(kind, []).append({"params": p, "min_item_ratings": min_items, **r})
        log(f"{kind} {p} min_items={min_items}: NDCG@10={r['NDCG@10']:.4f} HR@10={r['HR@10']:.4f}")
        return r["NDCG@10"]

    def pick(kind: str, candidates: list[dict]) -> dict:
        scored = [(run(kind, p), i, p) for i, p in enumerate(candidates)]
        return max(scored, key=lambda t: (t[0], -t[1]))[2]

    best["ease"] = pick("ease", [{"lam": lam, "signal": s} for s in ("binary", "liked", "graded")
                                 for lam in (100.0, 300.0, 1000.0)])
    lam = best["ease"]["lam"]
    best["ease"] = pick("ease", [best["ease"], {**best["ease"], "lam": lam / 2}, {**best["ease"], "lam": lam * 2}])
    best["itemknn"] = pick("itemknn", [{"k": k, "shrink": sh, "signal": s} for s in ("binary", "liked")
                                       for k in (50, 200) for sh in (0.0, 20.0)])
    best["als"] = pick("als", [{"factors": f, "regularization": r, "alpha": a, "iterations": 15, "signal": s}
                               for s in ("binary", "liked") for f in (32, 96) for r in (0.05,) for a in (2.0, 10.0)])
    best["popularity"] = {"signal": "binary"}

    # the blend, on top of the chosen EASE
    models, _ = fit_models(fit_part, {"ease": best["ease"]}, kinds=("ease",))
    blends = []
    base = DEFAULT_BLEND
    for norm in ("z", "rank"):
        for cw in (0.6, 0.8, 0.9, 1.0):
            for half in (0.0, 10.0):
                for qw in (0.0, 0.1):
                    blends.append(replace(base, norm=norm, cf_weight=cw, cf_half=half, quality_weight=qw))
    scored = []
    for b in blends:
        r = evaluate(fit_part, val, content, models, blend=b, methods=("for_you",))["for_you"]
        scored.append((r["NDCG@10"], b))
        grid.setdefault("for_you", []).append({"params": b.to_dict(), **r})
        log(f"blend {b.to_dict()}: NDCG@10={r['NDCG@10']:.4f}")
    best_blend = max(scored, key=lambda t: t[0])[1]
    best["ensemble"], best_blend = tune_ensemble(train, content, best, best_blend, grid, log)
    return {"params": best, "blend": best_blend.to_dict(), "grid": grid}


def tune_ensemble(train: Ratings, content: ContentIndex, params: Mapping[str, dict], blend: BlendParams,
                  grid: dict[str, list], log: Callable[[str], None] = print,
                  member_weights: Sequence[float] = (0.0, 0.3, 0.6),
                  cf_weights: Sequence[float] = (0.6, 0.7, 0.8),
                  gem_cf_weights: Sequence[float] = (0.6, 0.8, 1.0),
                  gem_obscurity_weights: Sequence[float] = (0.25, 0.35, 0.45)) -> tuple[dict, BlendParams]:
    """The ensemble's member weights (EASE 1, item-kNN and ALS in `member_weights`) and the For-you CF share,
    then the hidden-gem CF share and obscurity weight, on two validation splits carved from `train` (its latest
    10% per user, and the latest 10% of what is left): the mean over both splits decides (one split of ~560
    users is noisy). Hidden gems: the best mean NDCG@10 on gems (zone_quality.gem_accuracy) whose lists keep a
    median popularity percentile <= GEM_MEDIAN_MAX on both splits."""
    fit1, val1 = holdout_split(train)
    fit2, val2 = holdout_split(fit1)
    base = {"members": {k: dict(params[k]) for k in ("ease", "itemknn", "als")}, "signal": "liked"}
    splits: list[tuple[Ratings, Ratings, Ensemble]] = []
    for fit_part, val in ((fit1, val1), (fit2, val2)):
        models, _ = fit_models(fit_part, {"ensemble": {**base, "weights": {}}}, kinds=("ensemble",))
        ensemble = models["ensemble"]
        if not isinstance(ensemble, Ensemble):  # fit_model's "ensemble" kind
            raise TypeError(f"expected an Ensemble, got {type(ensemble).__name__}")
        splits.append((fit_part, val, ensemble))

    def both(weights: dict, b: BlendParams, method: str) -> list[dict[str, float]]:
        out = []
        for fit_part, val, ensemble in splits:
            ensemble.weights = dict(weights)
            out.append(evaluate(fit_part, val, content, {"ensemble": ensemble}, blend=b,
                                methods=(method,))[method])
        return out

    scored: list[tuple[float, int, dict[str, float], BlendParams]] = []
    for kn in member_weights:
        for al in member_weights:
            w = {"ease": 1.0, "itemknn": kn, "als": al}
            for cw in cf_weights:
                b = replace(blend, cf_weight=cw)
                rs = both(w, b, "for_you")
                nd = float(np.mean([r["NDCG@10"] for r in rs]))
                grid.setdefault("ensemble_for_you", []).append({"weights": w, "cf_weight": cw, "NDCG@10_mean": nd,
                                                                "NDCG@10_splits": [r["NDCG@10"] for r in rs]})
                per_split = " ".join(f"{r['NDCG@10']:.4f}" for r in rs)
                log(f"ensemble {w} cf_weight={cw}: NDCG@10 {per_split} mean {nd:.4f}")
                scored.append((nd, len(scored), w, b))
    _, _, best_w, best_b = max(scored, key=lambda t: (t[0], -t[1]))
    # Hidden gems: the CF share and the obscurity weight with the best mean accuracy on gems over both splits,
    # among those whose lists stay at or under GEM_MEDIAN_MAX median popularity percentile on both.
    gem_choices: list[tuple[float, int, BlendParams]] = []
    for gcw in gem_cf_weights:
        for ow in gem_obscurity_weights:
            b = replace(best_b, gem_cf_weight=gcw, gem_obscurity_weight=ow)
            gem_rs = []
            for fit_part, val, ensemble in splits:
                ensemble.weights = dict(best_w)
                gem_rs.append(zone_quality.gem_accuracy(ensemble, None, content, fit_part, val, b))
            nd = float(np.mean([r["accuracy_on_gems"]["NDCG@10"] for r in gem_rs]))
            med = max(r["median_popularity_percentile"] for r in gem_rs)
            grid.setdefault("ensemble_hidden_gems", []).append({"gem_cf_weight": gcw, "gem_obscurity_weight": ow,
                                                                "gems_NDCG@10_mean": nd, "median_pct_max": med})
            log(f"ensemble gems cf={gcw} obscurity={ow}: NDCG@10 on gems {nd:.4f}, median pct <= {med}")
            if med <= GEM_MEDIAN_MAX:
                gem_choices.append((nd, -len(gem_choices), b))
    if gem_choices:
        best_b = max(gem_choices, key=lambda t: (t[0], t[1]))[2]
    return {**base, "weights": best_w}, best_b


# ------------------------------------------------------------------ reports


def write_reports(results: dict[str, Any], out: Path, docs: Path | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(results, indent=2, sort_keys=False))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, name in enumerate(METHODS):
        if name in results:
            r = results[name]
            ax.scatter(r["mean_popularity_percentile"], r["NDCG@10"], s=40)
            ax.annotate(name, (r["mean_popularity_percentile"], r["NDCG@10"]), textcoords="offset points",
                        xytext=(5, 4 if i % 2 == 0 else -12), fontsize=9)   # alternate: close points stay legible
    ax.set_xlabel("mean catalogue popularity percentile of the top 10 (100 = most popular)")
    ax.set_ylabel("NDCG@10")
    ax.set_title("Accuracy vs popularity of what is recommended")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "eval.png", dpi=110)
    plt.close(fig)
    p = results["protocol"]
    lines = ["# Offline evaluation", "",
             f"Generated by `python -m services.recommender.offline.evaluation` at {p['generated_at']}; "
             f"protocol: {p['description']}", "",
             f"Users evaluated: {p['counts']['users_evaluated']} (with a relevant long-tail film: "
             f"{p['counts']['users_with_longtail_relevant']}); training users {p['counts']['train_users']}; "
             f"long tail = {p['counts']['tail_films']} of {p['catalogue_films']} catalogue films.", "",
             "| method | " + " | ".join(METRIC_KEYS) + " |", "|---|" + "---:|" * len(METRIC_KEYS)]
    for name in METHODS:
        if name in results:
            lines.append(f"| {name} | " + " | ".join(f"{results[name][k]:.4f}" for k in METRIC_KEYS) + " |")
    lines += ["", "![NDCG@10 vs mean popularity percentile](eval.png)", "",
              f"Parameters: `{json.dumps(p['params'])}`; blend: `{json.dumps(p['blend'])}`; "
              f"fit seconds: `{json.dumps(p['fit_seconds'])}`.", ""]
    lines += zone_quality_lines(results.get("zones", {}))
    lines += together_lines(results.get("together", {}), results.get("together_comparisons", {}),
                            p.get("together", {}))
    (out / "eval.md").write_text("\n".join(lines))
    if docs is not None:
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "eval.md", docs / "eval.md")
        shutil.copyfile(out / "eval.png", docs / "eval.png")


def zone_quality_lines(z: Mapping[str, Any]) -> list[str]:
    """The 'what a person sees' section of eval.md (zone_quality.py's measures)."""
    if not z:
        return []
    lines = ["## What a person sees (zone_quality.py; definitions in services/recommender/quality.py)", "",
             "Junk = fewer than 50 votes or a TMDb average under 5.5. Fixed examples, read as a film lover would: "
             "[examples.md](examples.md).", "",
             "| zone | slots | junk@10 | median popularity pct | share above p90 |", "|---|---:|---:|---:|---:|"]
    for name in ("similar", "hidden_gems_anchored", "hidden_gems_taste", "for_you", "vibe"):
        if name in z:
            r = z[name]
            lines.append(f"| {name} | {r['slots']} | {r['junk@10']:.3f} | {r['median_popularity_percentile']:.1f} | "
                         f"{r['share_above_p90']:.3f} |")
    acc = z.get("hidden_gems_taste", {}).get("accuracy_on_gems")
    if acc:
        lines += ["", f"Hidden gems from taste, accuracy on gems ({acc['users_with_a_relevant_gem']} users with a "
                      f"held-out relevant gem; {acc['gem_films']} gems in the catalogue): NDCG@10 {acc['NDCG@10']:.4f} "
                      f"{acc['NDCG@10_ci95']}, HR@10 {acc['HR@10']:.4f} {acc['HR@10_ci95']}; EASE on the same gems: "
                      f"NDCG@10 {acc.get('ease_same_gems_NDCG@10', 0):.4f} {acc.get('ease_same_gems_NDCG@10_ci95')}, "
                      f"HR@10 {acc.get('ease_same_gems_HR@10', 0):.4f}; EASE alone through the served gem formula "
                      f"(the same obscurity term and genre gate): NDCG@10 "
                      f"{acc.get('ease_gem_formula_NDCG@10', 0):.4f}; "
                      f"ratio of NDCG@10 to EASE on the same gems "
                      f"{acc.get('NDCG@10_ratio_to_ease')} (paired bootstrap 95% "
                      f"{acc.get('NDCG@10_ratio_to_ease_ci95')})."]
    t = z.get("together_opposite_pairs")
    if t and t.get("pairs"):
        lines += ["", f"Together over {t['pairs']} pairs of opposite tastes ({t['opposite']}): the lowest member "
                      f"fit in the top 10 is {t['lowest_member_fit@10_mean']:.3f} on average (10th percentile "
                      f"{t['lowest_member_fit@10_p10']:.3f}, worst pair "
                      f"{t['lowest_member_fit@10_worst_pair']:.3f}); "
                      f"{100 * t['share_fits_everyone@10']:.0f}% of the picks fit both (every fit >= "
                      f"{t['fit_threshold']})."]
    v = z.get("vibe_labelled")
    if v:
        lines += ["", "Vibe over the labelled moods (offline/moods.py tune and report halves, moods_external.py "
                      "written blind; precision@10 = picks with one of the mood's genres or keywords):", "",
                  "| split | moods | precision@10 | exclusions respected | junk@10 | answered confidently |",
                  "|---|---:|---:|---:|---:|---:|"]
        for split in ("tune", "report", "external"):
            if (r := v.get(split)) is not None:
                lines.append(f"| {split} | {r['moods']} | {r['precision@10']:.3f} | {r['exclusions_respected']} | "
                             f"{r['junk@10']:.3f} | {r.get('answered_confidently')} |")
        if (g := v.get("gibberish")) is not None:
            lines += ["", f"Gibberish: {g['answered_confidently']} of {g['texts']} texts answered with confidence, "
                          f"{g['with_picks']} with picks (best story match at most {g['best_match_max']})."]
    c = z.get("collection_mates")
    if c:
        missing = [r["film"] for r in c["rows"] if not r["found"]]
        lines += ["", f"Collection-mates: {c['franchises']} first films of a franchise; "
                      f"{100 * c['share_with_a_mate_in_top10']:.0f}% have a sequel in More like this's top 10, "
                      f"{100 * c['share_of_mates_in_top10']:.0f}% of all their sequels are there"
                      + (f" (none for: {', '.join(missing)})." if missing else ".")]
    return lines + [""]


TOGETHER_METHODS = ("served", "average", "least_misery", "gfar", "individual")


def together_lines(t: Mapping[str, Any], comp: Mapping[str, Any], proto: Mapping[str, Any]) -> list[str]:
    """The Together section of eval.md (offline/groups.py)."""
    if not t:
        return []
    lines = ["## Together over synthetic groups (offline/groups.py)", "",
             f"Groups: {proto.get('source')}, seed {proto.get('seed')}; similar = {proto.get('similar')}, divergent = "
             f"{proto.get('divergent')}; skipped {proto.get('skipped')}. Each member's truth is their held-out "
             "films rated >= 4 among the candidates (films no member rated). `individual` = each member's own "
             "top 10 over the same candidates (the scale).", "",
             "| kind | method | groups | mean_NDCG@10 | min_NDCG@10 | all_hit@10 |", "|---|---|---:|---:|---:|---:|"]
    for kind, methods in t.items():
        for name in TOGETHER_METHODS:
            if (r := methods.get(name)) is not None:
                lines.append(f"| {kind} | {name} | {r['groups']} | {r['mean_NDCG@10']:.4f} | {r['min_NDCG@10']:.4f} "
                             f"| {r['all_hit@10']:.4f} |")
    lines += ["", "Served against each baseline: relative difference of the means, paired bootstrap 95% interval "
                  "over groups (n/a: the baseline's mean is 0).", "",
              "| kind | against | mean_NDCG@10 | min_NDCG@10 | all_hit@10 |", "|---|---|---|---|---|"]

    def rel(x: Mapping[str, Any]) -> str:
        return f"{100 * x['rel']:+.1f}% [{100 * x['rel_ci95'][0]:+.1f}, {100 * x['rel_ci95'][1]:+.1f}]" \
            if "rel" in x else f"diff {x['diff']:+.4f} {x['diff_ci95']}"

    for kind, against in comp.items():
        for name, c in against.items():
            lines.append(f"| {kind} | {name.removeprefix('served_vs_')} | {rel(c['mean_NDCG@10'])} | "
                         f"{rel(c['min_NDCG@10'])} | {rel(c['all_hit@10'])} |")
    return lines + [""]


# ------------------------------------------------------------------ data and main


async def load_data(holdout: Path | None) -> tuple[Ratings, ContentIndex, dict[int, int]]:
    """The ratings (users service), the content index (the embedder's vectors with the film store's
    facts, read through the catalogue's API, as the service does), and, with a holdout, the catalogue's
    MovieLens id -> TMDb id map (MapMovieLensIds)."""
    import grpc
    from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

    from kit.auth import load_internal_token
    from kit.config import load_settings
    from kit.db import create_pool
    from services.recommender import vectors
    from services.recommender.films import Films
    from services.recommender.ratings import load_ratings

    settings = load_settings()
    token = load_internal_token(settings.secrets_dir)
    pool = await create_pool(settings.database_url, max_size=2)
    films = Films()
    mapping: dict[int, int] = {}
    try:
        async with grpc.aio.insecure_channel(settings.catalog_addr) as ch:
            await films.load(ch, await vectors.encoded_ids(pool))
            content = await ContentIndex.load(pool, films)
            if holdout is not None:
                resp = await catalog_pb2_grpc.CatalogServiceStub(ch).MapMovieLensIds(
                    catalog_pb2.MapMovieLensIdsRequest(), timeout=30)
                mapping = {int(link.movielens_id): int(link.tmdb_id) for link in resp.links if link.in_catalogue}
    finally:
        await pool.close()
    ratings = await load_ratings(settings.users_addr, token)
    return ratings, content, mapping


def run(ratings: Ratings, content: ContentIndex, holdout_ratings: Ratings | None, do_tune: bool,
        log: Callable[[str], None] = print, groups: Sequence[group_eval.Group] | None = None) -> dict[str, Any]:
    from datetime import UTC, datetime

    if holdout_ratings is None:
        train, test = holdout_split(ratings)
        description = ("per user the latest 10% of ratings by timestamp held out (at least 1); relevant = "
                       "held-out rating >= 4 of a catalogue film; all unrated catalogue films ranked")
    else:
        train, test = ratings, holdout_ratings
        description = ("trained on every rating the database holds; tested on the --holdout file; relevant = "
                       "rating >= 4 of a catalogue film not rated in the database")
    params = {k: dict(v) for k, v in DEFAULT_PARAMS.items()}
    blend = DEFAULT_BLEND
    tuning = None
    if do_tune:
        tuning = tune(train, content, log)
        params.update(tuning["params"])
        blend = BlendParams.from_dict(tuning["blend"])
    models, secs = fit_models(train, params)
    results: dict[str, Any] = evaluate(train, test, content, models, blend)
    counts = results.pop("_counts")
    served = models.get(DEFAULT_KIND, models["ease"])
    results["zones"] = zone_quality.offline(train, test, content, models, served, blend)
    together = group_eval.together_eval(train, test, content, served, blend, groups, log)
    results["together"] = together["methods"]
    results["together_comparisons"] = together["comparisons"]
    results["protocol"] = {
        "description": description, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "holdout_fraction": HOLDOUT_FRAC if holdout_ratings is None else None, "relevant_min_rating": RELEVANT_MIN,
        "k": K, "k_recall": K_RECALL, "head_share": HEAD_SHARE, "catalogue_films": len(content),
        "train_ratings": len(train), "test_ratings": len(test), "counts": counts,
        "novelty": "mean -log2((training raters + 1) / (training users + 1)) over top-10 slots",
        "params": params, "blend": blend.to_dict(), "min_item_ratings": MIN_ITEM_RATINGS, "fit_seconds": secs,
        "tuned_here": do_tune,
    }
    results["protocol"]["together"] = together["protocol"]
    if tuning is not None:
        results["protocol"]["tuning"] = {"params": tuning["params"], "blend": tuning["blend"]}
        results["_tuning_grid"] = tuning["grid"]
    return results


def main(argv: list[str] | None = None) -> None:
    from kit.config import REPO_ROOT
    from services.recommender.ratings import ratings_from_csv

    ap = argparse.ArgumentParser(description="Offline evaluation of the recommender's taste models")
    ap.add_argument("--holdout", type=Path, default=None, help="MovieLens ratings.csv to test against")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "reports")
    ap.add_argument("--groups", type=Path, default=None,
                    help="score these groups in Together's evaluation (CSV group_id,kind,user_id; MovieLens user ids)")
    ap.add_argument("--tune", action="store_true", help="grid-search parameters on a validation split of training")
    ap.add_argument("--no-docs", action="store_true", help="do not copy eval.md / eval.png to docs/")
    ap.add_argument("--no-served", action="store_true",
                    help="skip the measures through the running recommender (More like this, anchored gems)")
    args = ap.parse_args(argv)
    try:
        groups = group_eval.read_groups(args.groups) if args.groups is not None else None
    except group_eval.GroupFileError as e:
        raise SystemExit(f"--groups: {e}") from None
    ratings, content, mapping = asyncio.run(load_data(args.holdout))
    print(f"ratings {len(ratings)}, films with vectors {len(content)}", flush=True)
    hold = ratings_from_csv(args.holdout, mapping) if args.holdout is not None else None
    results = run(ratings, content, hold, args.tune, log=lambda s: print(s, flush=True), groups=groups)
    if not args.no_served:
        from kit.auth import load_internal_token
        from kit.config import load_settings

        settings = load_settings()
        results["zones"] |= asyncio.run(zone_quality.served(settings.recommender_addr, settings.catalog_addr,
                                                            load_internal_token(settings.secrets_dir), content))
    grid = results.pop("_tuning_grid", None)
    if grid is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "eval-tuning.json").write_text(json.dumps(grid, indent=2))
    write_reports(results, args.out, None if args.no_docs else REPO_ROOT / "docs")
    print("| method | " + " | ".join(METRIC_KEYS) + " |")
    for name in METHODS:
        print(f"| {name} | " + " | ".join(f"{results[name][k]:.4f}" for k in METRIC_KEYS) + " |")


if __name__ == "__main__":
    main()
