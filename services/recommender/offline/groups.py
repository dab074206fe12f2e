"""Together, measured as group-recommendation research measures it (part of `make eval`).

Protocol (after GFAR: Kaya, Bridge and Tintarev, "Ensuring fairness in group recommendations by using
rank aggregation", RecSys 2020), over the evaluation split of offline/evaluation.py:
- eligible users: those with at least one held-out relevant film (rating >= 4 of a catalogue film);
- synthetic groups, drawn with a fixed seed: `random2` (any two), `similar2` (Pearson >= 0.3 over >= 5
  films both rated in training), `divergent2` (Pearson < 0.1 over >= 5 co-rated films), `random4` (any
  four); 1,000 groups of each kind of pair and 500 of four (fewer when fewer exist); a group is kept only
  when every member has a relevant held-out film among the group's candidates;
- candidates: catalogue films no member rated in training; each member's truth: their held-out relevant
  films among the candidates;
- every method ranks the same candidates from the same per-member scores: the served calibrated fits
  (zones.together.member_fits: the share of the catalogue each member's For-you blend ranks below a film);
- per group and method: each member's NDCG@10 of the group's top 10 (binary gains); the group's mean of
  those, its lowest, and whether every member has a relevant film in the top 10 (`all_hit@10`); the
  report gives the means over groups; `individual` is each member's own top 10 over the same candidates
  (the scale: what a member gets alone);
- comparisons: served against each baseline, a paired bootstrap over groups (BOOTSTRAP resamples) of the
  difference of the means and of the relative difference, with 95% intervals.

With `--groups FILE` (a CSV `group_id,kind,user_id`, MovieLens user ids) the given groups are scored
instead; a group with a member who has no training ratings or no relevant held-out film is skipped and
counted.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from services.recommender.content import ContentIndex, rank01
from services.recommender.offline.metrics import RELEVANT_MIN, K, ndcg
from services.recommender.ratings import Ratings
from services.recommender.zones import together as served_together
from services.recommender.zones.for_you import BlendParams, blend_scores

SEED = 15
BOOTSTRAP = 1000
SIMILAR_MIN_PEARSON = 0.3
DIVERGENT_MAX_PEARSON = 0.1
MIN_CO_RATED = 5
KINDS: dict[str, tuple[int, int]] = {   # kind -> (members, groups wanted)
    "random2": (2, 1000), "similar2": (2, 1000), "divergent2": (2, 1000), "random4": (4, 500),
}
METRICS = ("mean_NDCG@10", "min_NDCG@10", "all_hit@10")


class GroupFileError(ValueError):
    """A groups CSV that cannot be read: the message says what is wrong and where."""


@dataclass(frozen=True)
class Group:
    group_id: str
    kind: str
    members: tuple[str, ...]


# ------------------------------------------------------------------ groups


def pearson_pairs(hist: Mapping[str, Mapping[int, float]], users: Sequence[str],
                  min_co: int = MIN_CO_RATED) -> dict[tuple[str, str], float]:
    """Pearson correlation of every pair of `users` (sorted pair -> r) over the films both rated, for pairs
    with at least `min_co` such films and a defined correlation (neither constant on them)."""
    users = sorted(users)
    films = sorted({m for u in users for m in hist[u]})
    col = {m: j for j, m in enumerate(films)}
    r = np.zeros((len(users), len(films)), dtype=np.float64)
    has = np.zeros_like(r, dtype=bool)
    for i, u in enumerate(users):
        for m, v in hist[u].items():
            r[i, col[m]], has[i, col[m]] = v, True
    hf = has.astype(np.float64)
    n = hf @ hf.T                      # co-rated counts
    s1 = r @ hf.T                      # sum of a's ratings over films b rated too
    s2 = (r * r) @ hf.T
    sab = r @ r.T
    out: dict[tuple[str, str], float] = {}
    ia, ib = np.nonzero(np.triu(n >= min_co, k=1))
    for a, b in zip(ia.tolist(), ib.tolist(), strict=True):
        nn = n[a, b]
        sa, sb = s1[a, b], s1[b, a]
        va = s2[a, b] - sa * sa / nn
        vb = s2[b, a] - sb * sb / nn
        if va <= 1e-9 or vb <= 1e-9:
            continue
        out[(users[a], users[b])] = float((sab[a, b] - sa * sb / nn) / math.sqrt(va * vb))
    return out


def sample_groups(hist: Mapping[str, Mapping[int, float]], relevant: Mapping[str, set[int]],
                  kinds: Mapping[str, tuple[int, int]] = KINDS, seed: int = SEED,
                  pairs: Mapping[tuple[str, str], float] | None = None) -> list[Group]:
    """Groups of each kind, drawn with `seed` from the users with training ratings and relevant held-out
    films; a group is kept only when every member still has a relevant film once the films any member
    rated are left out (the candidates). Deterministic for a given input and seed."""
    rng = np.random.default_rng(seed)
    users = sorted(u for u in relevant if relevant[u] and hist.get(u))
    if pairs is None and any(k in kinds for k in ("similar2", "divergent2")):
        pairs = pearson_pairs(hist, users)
    out: list[Group] = []
    for kind, (size, want) in kinds.items():
        seen: set[tuple[str, ...]] = set()
        got: list[tuple[str, ...]] = []
        if kind in ("similar2", "divergent2"):
            assert pairs is not None
            pool = sorted(p for p, c in pairs.items()
                          if (c >= SIMILAR_MIN_PEARSON if kind == "similar2" else c < DIVERGENT_MAX_PEARSON))
            for j in rng.permutation(len(pool)):
                if len(got) >= want:
                    break
                if _usable(pool[j], hist, relevant):
                    got.append(pool[j])
        else:
            tries = 0
            while len(got) < want and tries < 50 * want and len(users) >= size:
                tries += 1
                g = tuple(sorted(users[i] for i in rng.choice(len(users), size=size, replace=False)))
                if g not in seen:
                    seen.add(g)
                    if _usable(g, hist, relevant):
                        got.append(g)
        out += [Group(f"{kind}-{i}", kind, g) for i, g in enumerate(got)]
    return out


def _usable(members: Sequence[str], hist: Mapping[str, Mapping[int, float]],
            relevant: Mapping[str, set[int]]) -> bool:
    rated = set().union(*(hist[u].keys() for u in members))
    return all(relevant.get(u, set()) - rated for u in members)


def read_groups(path: str | Path, prefix: str = "ml:") -> list[Group]:
    """A CSV with the header `group_id,kind,user_id` (MovieLens user ids; extra columns ignored), one row per
    member. Raises GroupFileError naming a missing column, an empty field or a group of fewer than two."""
    path = Path(path)
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise GroupFileError(f"{path}: cannot read ({e.strerror})") from None
    members: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    with f:
        reader = csv.DictReader(f)
        missing = [c for c in ("group_id", "kind", "user_id") if c not in (reader.fieldnames or [])]
        if missing:
            raise GroupFileError(f"{path}: missing column(s) {', '.join(missing)}; the header must be "
                                 "group_id,kind,user_id")
        for line, row in enumerate(reader, start=2):
            gid, kind, uid = (str(row.get(c) or "").strip() for c in ("group_id", "kind", "user_id"))
            if not gid or not kind or not uid:
                raise GroupFileError(f"{path}:{line}: empty group_id, kind or user_id")
            if not uid.isdigit():
                raise GroupFileError(f"{path}:{line}: user_id {uid!r} is not a MovieLens user id (a number)")
            if kinds.setdefault(gid, kind) != kind:
                raise GroupFileError(f"{path}:{line}: group {gid} has two kinds ({kinds[gid]}, {kind})")
            user = f"{prefix}{int(uid)}"
            if user not in members.setdefault(gid, []):
                members[gid].append(user)
    small = [g for g, ms in members.items() if len(ms) < 2]
    if small:
        raise GroupFileError(f"{path}: group(s) {', '.join(small[:5])} have fewer than two members")
    return [Group(g, kinds[g], tuple(ms)) for g, ms in members.items()]


def known_groups(groups: Sequence[Group], hist: Mapping[str, Mapping[int, float]],
                 relevant: Mapping[str, set[int]]) -> tuple[list[Group], dict[str, int]]:
    """The groups that can be scored, and how many were skipped for each reason."""
    kept: list[Group] = []
    skipped = {"unknown_member": 0, "member_without_relevant_film": 0}
    for g in groups:
        if any(not hist.get(u) for u in g.members):
            skipped["unknown_member"] += 1
        elif not _usable(g.members, hist, relevant):
            skipped["member_without_relevant_film"] += 1
        else:
            kept.append(g)
    return kept, skipped


# ------------------------------------------------------------------ aggregation methods

# A method: (members x candidates fits, k) -> positions into the candidates, best first.
Method = Callable[[np.ndarray, int], list[int]]


def _top(scores: np.ndarray, k: int) -> list[int]:
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]


def average(fits: np.ndarray, k: int) -> list[int]:
    return _top(fits.mean(axis=0), k)


def least_misery(fits: np.ndarray, k: int) -> list[int]:
    """The lowest member fit, ties broken by the mean (a pure minimum leaves most of the list to chance)."""
    return _top(fits.min(axis=0) + 1e-6 * fits.mean(axis=0), k)


def gfar(fits: np.ndarray, k: int, n: int = 50) -> list[int]:
    """GFAR (Kaya et al. 2020): each member's top `n` candidates get a Borda relevance (n for the first,
    1 for the n-th, normalised to sum 1); the list is built greedily, each step taking the film with the
    largest sum over members of its relevance times the chance that none of the films picked so far is
    relevant for that member."""
    m, c = fits.shape
    n = min(n, c)
    p = np.zeros_like(fits)
    for u in range(m):
        order = _top(fits[u], n)
        p[u, order] = np.arange(n, 0, -1, dtype=np.float64)
        p[u] /= p[u].sum()
    none_yet = np.ones(m)
    chosen: list[int] = []
    avail = np.ones(c, dtype=bool)
    for _ in range(min(k, c)):
        gain = none_yet @ p
        gain[~avail] = -np.inf
        best = int(np.argmax(gain))
        if gain[best] <= 0:    # nobody's top n has anything left: the mean fit decides the rest
            rest = np.where(avail, fits.mean(axis=0), -np.inf)
            chosen += [i for i in _top(rest, k - len(chosen))]
            break
        chosen.append(best)
        avail[best] = False
        none_yet *= 1 - p[:, best]
    return chosen


def individual(fits: np.ndarray, member: int, k: int) -> list[int]:
    return _top(fits[member], k)


BASELINES: dict[str, Method] = {"average": average, "least_misery": least_misery, "gfar": gfar}


# ------------------------------------------------------------------ evaluation


def group_metrics(ranked: Sequence[int], truths: Sequence[set[int]]) -> tuple[float, float, float]:
    """(mean member NDCG@10, lowest member NDCG@10, 1.0 if every member has a relevant film in the top 10)."""
    nd = [ndcg(ranked, t, K) for t in truths]
    hit = all(any(m in t for m in ranked[:K]) for t in truths)
    return float(np.mean(nd)), float(min(nd)), float(hit)


def paired_bootstrap(a: np.ndarray, b: np.ndarray, rng: np.random.Generator,
                     n: int = BOOTSTRAP) -> dict[str, Any]:
    """a, b: one value per group for two methods. The difference of the means (a - b) and the relative
    difference ((a - b) / b), each with a 95% interval from `n` paired resamples of the groups."""
    idx = rng.integers(0, len(a), size=(n, len(a)))
    ma, mb = a[idx].mean(axis=1), b[idx].mean(axis=1)
    diff = ma - mb
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(mb > 0, diff / mb, np.nan)
    base = float(b.mean())
    out: dict[str, Any] = {"diff": round(float(a.mean() - b.mean()), 4),
                           "diff_ci95": [round(float(x), 4) for x in np.percentile(diff, [2.5, 97.5])]}
    if base > 0 and not np.isnan(rel).any():
        out |= {"rel": round(float(a.mean() / base - 1), 4),
                "rel_ci95": [round(float(x), 4) for x in np.percentile(rel, [2.5, 97.5])]}
    return out


def evaluate_groups(groups: Sequence[Group], hist: Mapping[str, Mapping[int, float]],
                    relevant: Mapping[str, set[int]], fits_of: Callable[[str], np.ndarray],
                    content: ContentIndex, methods: Mapping[str, Method],
                    seed: int = SEED) -> dict[str, Any]:
    """{"methods": {kind: {method: {metric: mean, "groups": n}}}, "comparisons": {kind: {"served_vs_<method>":
    {metric: paired_bootstrap}}}} over `groups`.
    `fits_of(user)`: that user's calibrated fit for every film of the content index. The method named
    "served" is compared with every other (paired bootstrap)."""
    per: dict[str, dict[str, list[tuple[float, float, float]]]] = {}
    for g in groups:
        rated = set().union(*(hist[u].keys() for u in g.members))
        cand = _candidates(content, rated)
        cand_ids = content.movie_ids[cand]
        fits = np.vstack([fits_of(u)[cand] for u in g.members])
        truths = [relevant[u] - rated for u in g.members]
        rows = per.setdefault(g.kind, {})
        for name, method in methods.items():
            ranked = [int(cand_ids[i]) for i in method(fits, K)]
            rows.setdefault(name, []).append(group_metrics(ranked, truths))
        solo = [ndcg([int(cand_ids[i]) for i in individual(fits, j, K)], truths[j], K) for j in range(len(g.members))]
        hits = [any(int(cand_ids[i]) in truths[j] for i in individual(fits, j, K)) for j in range(len(g.members))]
        rows.setdefault("individual", []).append((float(np.mean(solo)), float(min(solo)), float(all(hits))))
    out: dict[str, Any] = {"methods": {}, "comparisons": {}}
    rng = np.random.default_rng(seed)
    for kind, rows in per.items():
        arr = {name: np.array(v) for name, v in rows.items()}
        out["methods"][kind] = {name: {m: round(float(a[:, j].mean()), 4) for j, m in enumerate(METRICS)}
                                | {"groups": len(a)} for name, a in arr.items()}
        if "served" in arr:
            out["comparisons"][kind] = {
                f"served_vs_{name}": {m: paired_bootstrap(arr["served"][:, j], a[:, j], rng)
                                      for j, m in enumerate(METRICS)}
                for name, a in arr.items() if name not in ("served", "individual")}
    return out


def _candidates(content: ContentIndex, rated: set[int]) -> np.ndarray:
    mask = np.ones(len(content), dtype=bool)
    for m in rated:
        i = content.index_of(m)
        if i is not None:
            mask[i] = False
    return np.flatnonzero(mask)


def histories(train: Ratings) -> dict[str, dict[int, float]]:
    hist: dict[str, dict[int, float]] = {}
    for u, m, v in zip(train.user_ids, train.movie_ids, train.values, strict=True):
        hist.setdefault(str(u), {})[int(m)] = float(v)
    return hist


def relevant_films(test: Ratings, content: ContentIndex,
                   hist: Mapping[str, Mapping[int, float]]) -> dict[str, set[int]]:
    rel: dict[str, set[int]] = {}
    for u, m, v in zip(test.user_ids, test.movie_ids, test.values, strict=True):
        u, m = str(u), int(m)
        if v >= RELEVANT_MIN and content.index_of(m) is not None and m not in hist.get(u, {}):
            rel.setdefault(u, set()).add(m)
    return rel


def served_method(content: ContentIndex) -> Method:
    """The served algorithm (zones.together.select) over a group's candidate fits."""
    return lambda fits, k: served_together.select(fits, k, n_films=len(content))


def together_eval(train: Ratings, test: Ratings, content: ContentIndex, model: Any, blend: BlendParams,
                  groups: Sequence[Group] | None = None,
                  log: Callable[[str], None] = print) -> dict[str, Any]:
    """The `together` section of reports/eval.json: sampled groups (or `groups`, read from a file)."""
    hist = histories(train)
    relevant = relevant_films(test, content, hist)
    skipped: dict[str, int] = {}
    if groups is None:
        groups = sample_groups(hist, relevant)
        source = "sampled"
    else:
        groups, skipped = known_groups(groups, hist, relevant)
        source = "file"
    cache: dict[str, np.ndarray] = {}

    def fits_of(u: str) -> np.ndarray:
        if u not in cache:
            score, _, _, _ = blend_scores(model, content, hist[u], blend)
            cache[u] = rank01(score).astype(np.float64)
        return cache[u]

    methods: dict[str, Method] = {"served": served_method(content), **BASELINES}
    log(f"together: {len(groups)} groups ({source}); skipped {skipped}")
    res = evaluate_groups(groups, hist, relevant, fits_of, content, methods)
    res["protocol"] = {
        "source": source, "skipped": skipped, "seed": SEED, "bootstrap": BOOTSTRAP,
        "kinds": {k: {"members": size, "wanted": n} for k, (size, n) in KINDS.items()},
        "similar": f"Pearson >= {SIMILAR_MIN_PEARSON} over >= {MIN_CO_RATED} co-rated training films",
        "divergent": f"Pearson < {DIVERGENT_MAX_PEARSON} over >= {MIN_CO_RATED} co-rated training films",
        "scores": "served calibrated member fits (zones.together.member_fits)",
        "candidates": "catalogue films no member rated in training; truth: each member's held-out films rated >= 4",
        "served": "zones.together.select (greedy proportional fairness over each member's chance)",
        "baselines": {"average": "the mean fit", "least_misery": "the lowest fit (ties: the mean)",
                      "gfar": "GFAR (Kaya et al. 2020), Borda relevance over each member's top 50",
                      "individual": "each member's own top 10 over the same candidates (the scale)"},
    }
    return res
