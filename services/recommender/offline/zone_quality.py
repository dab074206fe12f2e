"""What a person sees, measured (part of `make eval`): junk in the top 10, how hidden the hidden gems
are, how accurate they are on gems as quality.py defines them, and how well Together's picks fit every
member. The definitions are quality.py's, the same the zones serve with.

Offline (`offline()`, over the evaluation split, the served ranking functions):
- hidden gems from taste: median catalogue popularity percentile of the top-10 slots, the share above
  the 90th, the junk share; accuracy on gems: relevant = held-out relevant films that are gems
  (quality.is_gem at the default ceiling), HR@10 and NDCG@10 over the users with at least one, each with
  a bootstrap 95% interval over users, against EASE ranking the same gems (the ratio's interval paired),
  and against EASE alone through the served gem formula (the same obscurity preference and genre gate);
- For you: the junk share of the top 10 (For you keeps its accuracy: its NDCG@10 is in the main table);
- Together: pairs of training users of opposite tastes (Pearson correlation at most -0.1 over at least
  5 co-rated films); per pair, the lowest member fit over the top 10; the mean, the 10th percentile and
  the worst pair, and the share of picks that "fit everyone".

Served (`served()`, through the recommender's gRPC API on the running stack):
- More like this and anchored Hidden gems: the junk share of the top 10 over the catalogue's 60 most-voted
  films (films everyone knows), and gems' obscurity; Vibe: the junk share over VIBE_TEXTS;
- collection-mates: for the first film of each franchise in FRANCHISES, whether its sequels are in the
  top 10 of More like this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from services.recommender import quality
from services.recommender.content import ContentIndex
from services.recommender.models import Model
from services.recommender.offline.metrics import RELEVANT_MIN, K, hit_rate, ndcg
from services.recommender.ratings import Ratings
from services.recommender.tastes import Taste
from services.recommender.zones.common import candidate_mask, top
from services.recommender.zones.for_you import BlendParams, cf_scores_on_content, rank_for_you
from services.recommender.zones.hidden_gems import rank_hidden_gems_for_taste
from services.recommender.zones.together import FIT_THRESHOLD, together_picks

BOOTSTRAP = 1000
SEED = 7
N_ANCHORS = 60
OPPOSITE_MAX_PEARSON = -0.1
MIN_CO_RATED = 5
MAX_PAIRS = 200
# Moods as people type them (Vibe's junk share; its labelled set and precision are the next issue's).
VIBE_TEXTS = (
    "slow-burn sci-fi with a twist, not too long", "cozy feel-good comedy for a rainy sunday",
    "a tense heist thriller", "something romantic and a little sad", "a scary movie for halloween",
    "epic fantasy adventure", "a funny animated film for the whole family", "gritty 70s crime drama",
    "a mind-bending mystery", "an inspiring sports story",
)
# First film of a franchise -> its collection-mates (TMDb ids; the report names them, so a wrong id shows).
FRANCHISES: dict[int, tuple[int, ...]] = {
    603: (604, 605),            # The Matrix
    862: (863, 10193),          # Toy Story
    238: (240, 242),            # The Godfather
    105: (165, 196),            # Back to the Future
    120: (121, 122),            # The Lord of the Rings
    671: (672, 673),            # Harry Potter
    329: (330, 331),            # Jurassic Park
    1726: (10138, 68721),       # Iron Man
    218: (280,),                # The Terminator
    808: (809, 810),            # Shrek
    22: (58, 285),              # Pirates of the Caribbean
    2501: (2502, 2503),         # The Bourne Identity
    85: (87, 89),               # Raiders of the Lost Ark
    161: (163, 298),            # Ocean's Eleven
    11: (1891, 1892),           # Star Wars
    348: (679,),                # Alien
    562: (1573, 1572),          # Die Hard
    607: (608,),                # Men in Black
}


async def vibe_labelled(rec, cat, md) -> dict[str, Any]:
    """Vibe over the labelled moods (offline/moods.py: TUNE, REPORT; offline/moods_external.py: EXTERNAL,
    written blind), per split: precision@10 (a pick with one of the mood's genres or keywords), the share
    of picks that respect a stated exclusion (over the moods that state one), junk@10 and the share of
    moods answered with confidence; with each mood's precision, so a reader sees which moods fail. Then
    the gibberish texts (moods_external.GIBBERISH): how many got a confident answer (the target: none)."""
    from movierec.catalog.v1 import catalog_pb2
    from movierec.recommender.v1 import recommender_pb2 as pb

    from services.recommender.offline.moods import REPORT, TUNE
    from services.recommender.offline.moods_external import EXTERNAL, GIBBERISH

    async def ask(text: str):
        return await rec.Vibe(pb.VibeRequest(text=text, first=K), metadata=md, timeout=30)

    out: dict[str, Any] = {}
    for name, moods in (("tune", TUNE), ("report", REPORT), ("external", EXTERNAL)):
        precision, respected, junk, confident, rows = [], [], [], [], []
        for mood in moods:
            answer = await ask(mood.text)
            items = answer.items
            confident.append(answer.vibe_reading.confident)
            films = {m.id: m for m in (await cat.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(
                ids=[i.movie_id for i in items]), timeout=30)).movies}
            picks = [films[i.movie_id] for i in items if i.movie_id in films]
            hits = [bool(set(f.genres) & set(mood.genres) or set(f.keywords) & set(mood.keywords)) for f in picks]
            precision.append(sum(hits) / K)
            if mood.exclude:
                respected += [not set(f.genres) & set(mood.exclude) for f in picks]
            junk += [quality.is_junk(f.vote_average, f.vote_count) for f in picks]
            rows.append({"text": mood.text, "precision@10": round(sum(hits) / K, 2),
                         "confident": answer.vibe_reading.confident, "first": [f.title for f in picks[:3]]})
        out[name] = {"moods": len(moods), "precision@10": round(float(np.mean(precision)), 4),
                     "exclusions_respected": round(float(np.mean(respected)), 4) if respected else None,
                     "moods_with_exclusion": sum(bool(m.exclude) for m in moods),
                     "junk@10": round(float(np.mean(junk)), 4) if junk else 0.0,
                     "answered_confidently": round(float(np.mean(confident)), 4), "rows": rows}
    gibberish = []
    for text in GIBBERISH:
        answer = await ask(text)
        r = answer.vibe_reading
        gibberish.append({"text": text, "confident": r.confident, "picks": len(answer.items), "why": r.why,
                          "known_share": round(r.known_share, 2), "best_match": round(r.best_match, 3)})
    out["gibberish"] = {"texts": len(gibberish), "answered_confidently": sum(g["confident"] for g in gibberish),
                        "with_picks": sum(g["picks"] > 0 for g in gibberish),
                        "best_match_max": max((g["best_match"] for g in gibberish), default=0.0), "rows": gibberish}
    return out


def _ci(values: Sequence[float], rng: np.random.Generator) -> tuple[float, float]:
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return (0.0, 0.0)
    means = v[rng.integers(0, len(v), size=(BOOTSTRAP, len(v)))].mean(axis=1)
    return (round(float(np.percentile(means, 2.5)), 4), round(float(np.percentile(means, 97.5)), 4))


def _paired_ratio_ci(a: Sequence[float], b: Sequence[float], rng: np.random.Generator) -> tuple[float, float]:
    av, bv = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if len(av) == 0:
        return (0.0, 0.0)
    idx = rng.integers(0, len(av), size=(BOOTSTRAP, len(av)))
    den = bv[idx].mean(axis=1)
    ratios = np.where(den > 0, av[idx].mean(axis=1) / np.where(den > 0, den, 1), np.nan)
    ratios = ratios[np.isfinite(ratios)]
    if len(ratios) == 0:
        return (0.0, 0.0)
    return (round(float(np.percentile(ratios, 2.5)), 3), round(float(np.percentile(ratios, 97.5)), 3))


def list_quality(lists: Sequence[Sequence[int]], content: ContentIndex) -> dict[str, float]:
    """Junk share and obscurity of the top-10 slots of `lists`."""
    found = [content.index_of(m) for r in lists for m in r[:K]]
    pos = np.array([p for p in found if p is not None], dtype=np.int64)
    if len(pos) == 0:
        return {"slots": 0, "junk@10": 0.0, "median_popularity_percentile": 0.0, "share_above_p90": 0.0}
    pct = content.popularity_percentile[pos]
    junk = quality.junk_mask(content.vote_average[pos], content.vote_count[pos])
    return {"slots": int(len(pos)), "junk@10": round(float(junk.mean()), 4),
            "median_popularity_percentile": round(float(np.median(pct)), 1),
            "share_above_p90": round(float((pct > 90).mean()), 4)}


def _histories(r: Ratings) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for u, m, v in zip(r.user_ids, r.movie_ids, r.values, strict=True):
        out.setdefault(str(u), {})[int(m)] = float(v)
    return out


def opposite_pairs(histories: Mapping[str, Mapping[int, float]], max_pairs: int = MAX_PAIRS,
                   seed: int = SEED) -> list[tuple[str, str, float]]:
    """Pairs of users whose ratings of the films both rated correlate at most OPPOSITE_MAX_PEARSON
    (at least MIN_CO_RATED such films): a fixed-seed sample of at most `max_pairs`."""
    users = sorted(histories)
    found = []
    for i, a in enumerate(users):
        ha = histories[a]
        for b in users[i + 1:]:
            hb = histories[b]
            common = ha.keys() & hb.keys()
            if len(common) < MIN_CO_RATED:
                continue
            x = np.array([ha[m] for m in common])
            y = np.array([hb[m] for m in common])
            if x.std() < 1e-9 or y.std() < 1e-9:
                continue
            r = float(np.corrcoef(x, y)[0, 1])
            if r <= OPPOSITE_MAX_PEARSON:
                found.append((a, b, round(r, 3)))
    rng = np.random.default_rng(seed)
    if len(found) > max_pairs:
        found = [found[i] for i in sorted(rng.choice(len(found), size=max_pairs, replace=False))]
    return found


def _relevant(test: Ratings, content: ContentIndex, hist: Mapping[str, Mapping[int, float]]) -> dict[str, set[int]]:
    rel: dict[str, set[int]] = {}
    for u, m, v in zip(test.user_ids, test.movie_ids, test.values, strict=True):
        if v >= RELEVANT_MIN and content.index_of(int(m)) is not None and int(m) not in hist.get(str(u), {}):
            rel.setdefault(str(u), set()).add(int(m))
    return rel


def gem_accuracy(served: Model | None, ease: Model | None, content: ContentIndex, train: Ratings, test: Ratings,
                 blend: BlendParams, rng: np.random.Generator | None = None) -> dict[str, Any]:
    """Hidden gems from taste on one split: what the lists look like (junk, obscurity) over every user with a
    held-out relevant film, and their accuracy on gems over the users with a held-out relevant gem,
    against EASE ranking the same gems (with bootstrap intervals when `rng` is given)."""
    hist = _histories(train)
    rel = _relevant(test, content, hist)
    gem_mask = content.gem_mask()
    gem_ids = {int(m) for m in content.movie_ids[gem_mask]}
    users = sorted(u for u in rel if u in hist)
    lists = {u: [s.movie_id for s in rank_hidden_gems_for_taste(served, content, hist[u], set(hist[u]), K,
                                                                 params=blend, explain=False)] for u in users}
    hr, nd, hr_e, nd_e, nd_f = [], [], [], [], []
    ease_formula = replace(blend, gem_cf_weight=1.0)   # EASE alone through the served gem formula (same obscurity)
    for u in users:
        target = rel[u] & gem_ids
        if not target:
            continue
        hr.append(hit_rate(lists[u], target))
        nd.append(ndcg(lists[u], target))
        if ease is not None:
            nd_f.append(ndcg([s.movie_id for s in rank_hidden_gems_for_taste(
                ease, content, hist[u], set(hist[u]), K, params=ease_formula, explain=False)], target))
            s, _ = cf_scores_on_content(ease, content, hist[u])
            mask = candidate_mask(content, hist[u]) & gem_mask
            base = [int(content.movie_ids[i]) for i in top(s if s is not None else content.quality, mask, K)]
            hr_e.append(hit_rate(base, target))
            nd_e.append(ndcg(base, target))
    acc: dict[str, Any] = {"users_with_a_relevant_gem": len(hr), "gem_films": len(gem_ids),
                           "HR@10": round(float(np.mean(hr)), 4) if hr else 0.0,
                           "NDCG@10": round(float(np.mean(nd)), 4) if nd else 0.0}
    if hr_e:
        acc |= {"ease_same_gems_HR@10": round(float(np.mean(hr_e)), 4),
                "ease_same_gems_NDCG@10": round(float(np.mean(nd_e)), 4),
                "NDCG@10_ratio_to_ease": round(float(np.mean(nd) / np.mean(nd_e)), 3) if np.mean(nd_e) > 0 else None,
                "ease_gem_formula_NDCG@10": round(float(np.mean(nd_f)), 4)}
    if rng is not None:
        acc |= {"HR@10_ci95": _ci(hr, rng), "NDCG@10_ci95": _ci(nd, rng)}
        if hr_e:
            acc |= {"ease_same_gems_HR@10_ci95": _ci(hr_e, rng), "ease_same_gems_NDCG@10_ci95": _ci(nd_e, rng),
                    "NDCG@10_ratio_to_ease_ci95": _paired_ratio_ci(nd, nd_e, rng)}
    return {**list_quality(list(lists.values()), content), "users": len(users), "accuracy_on_gems": acc}


def offline(train: Ratings, test: Ratings, content: ContentIndex, models: Mapping[str, Model], served: Model,
            blend: BlendParams) -> dict[str, Any]:
    from services.recommender.serving import ModelState

    rng = np.random.default_rng(SEED)
    hist = _histories(train)
    users = sorted(u for u in _relevant(test, content, hist) if u in hist)
    gems = gem_accuracy(served, models.get("ease"), content, train, test, blend, rng)
    you_lists = [[s.movie_id for s in rank_for_you(served, content, hist[u], set(hist[u]), K, params=blend,
                                                   explain=False)] for u in users]

    # Together over pairs of opposite tastes
    st = ModelState(model=served, content=content, version="eval", blend=blend)
    lowest, fits_all = [], []
    pairs = opposite_pairs(hist)
    for a, b, _ in pairs:
        members = [Taste(u, u, hist[u], frozenset(hist[u]), frozenset(), frozenset()) for u in (a, b)]
        picks, _ = together_picks(st, members, K)
        lowest.append(min(min(xs) for _, _, xs in picks))
        fits_all += [min(xs) >= FIT_THRESHOLD for _, _, xs in picks]
    together = {
        "pairs": len(pairs), "opposite": f"Pearson <= {OPPOSITE_MAX_PEARSON} over >= {MIN_CO_RATED} co-rated films",
        "lowest_member_fit@10_mean": round(float(np.mean(lowest)), 4) if lowest else None,
        "lowest_member_fit@10_p10": round(float(np.percentile(lowest, 10)), 4) if lowest else None,
        "lowest_member_fit@10_worst_pair": round(float(np.min(lowest)), 4) if lowest else None,
        "share_fits_everyone@10": round(float(np.mean(fits_all)), 4) if fits_all else None,
        "fit_threshold": FIT_THRESHOLD,
    }
    return {
        "hidden_gems_taste": gems,
        "for_you": list_quality(you_lists, content),
        "together_opposite_pairs": together,
    }


async def served(recommender_addr: str, catalog_addr: str, token: str, content: ContentIndex) -> dict[str, Any]:
    """The junk and collection-mate measures through the running recommender's gRPC API."""
    import grpc
    from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc
    from movierec.recommender.v1 import recommender_pb2 as pb
    from movierec.recommender.v1 import recommender_pb2_grpc

    from kit.auth import call_metadata

    anchors = [int(content.movie_ids[i]) for i in np.argsort(-content.vote_count, kind="stable")[:N_ANCHORS]]
    md = call_metadata(token)
    async with grpc.aio.insecure_channel(recommender_addr) as rch, grpc.aio.insecure_channel(catalog_addr) as cch:
        rec = recommender_pb2_grpc.RecommenderServiceStub(rch)
        similar, gems = [], []
        for a in anchors:
            similar.append([i.movie_id for i in (await rec.Similar(pb.SimilarRequest(movie_id=a, first=K),
                                                                     metadata=md, timeout=30)).items])
            gems.append([i.movie_id for i in (await rec.HiddenGems(pb.HiddenGemsRequest(movie_id=a, first=K),
                                                                     metadata=md, timeout=30)).items])
        vibe = [[i.movie_id for i in (await rec.Vibe(pb.VibeRequest(text=t, first=K), metadata=md,
                                                      timeout=30)).items] for t in VIBE_TEXTS]
        labelled = await vibe_labelled(rec, catalog_pb2_grpc.CatalogServiceStub(cch), md)
        franchise = []
        for first, mates in FRANCHISES.items():
            if content.index_of(first) is None:
                continue
            got = [i.movie_id for i in (await rec.Similar(pb.SimilarRequest(movie_id=first, first=K),
                                                            metadata=md, timeout=30)).items]
            franchise.append((first, mates, got))
        ids = list({m for f, ms, _ in franchise for m in (f, *ms)})
        films = await catalog_pb2_grpc.CatalogServiceStub(cch).BatchGetMovies(
            catalog_pb2.BatchGetMoviesRequest(ids=ids), timeout=30)
        title = {m.id: m.title for m in films.movies}
    rows = [{"film": title.get(f, str(f)), "mates": [title.get(m, str(m)) for m in ms],
             "found": [title.get(m, str(m)) for m in ms if m in got]} for f, ms, got in franchise]
    return {
        "anchors": {"count": len(anchors), "rule": f"the {N_ANCHORS} most-voted films with vectors"},
        "similar": list_quality(similar, content),
        "hidden_gems_anchored": list_quality(gems, content)
        | {"empty_lists": sum(not g for g in gems), "mean_length": round(float(np.mean([len(g) for g in gems])), 2)},
        "vibe": list_quality(vibe, content) | {"texts": len(VIBE_TEXTS)},
        "vibe_labelled": labelled,
        "collection_mates": {
            "franchises": len(rows),
            "share_with_a_mate_in_top10": round(sum(bool(r["found"]) for r in rows) / len(rows), 4) if rows else None,
            "share_of_mates_in_top10": round(sum(len(r["found"]) for r in rows)
                                             / max(1, sum(len(r["mates"]) for r in rows)), 4),
            "rows": rows,
        },
    }
