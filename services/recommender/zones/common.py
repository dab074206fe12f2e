"""What every zone shares: the context a zone runs in, the films a user never gets
back, array helpers over the content index, the quality re-rank, and turning a pick into a
`Recommendation` with its reasons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import asyncpg
import numpy as np
from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import reasons
from services.recommender.content import ContentIndex
from services.recommender.films import Film, Films
from services.recommender.tastes import Taste

if TYPE_CHECKING:
    from services.recommender.serving import ModelState


@dataclass
class ZoneContext:
    pool: asyncpg.Pool
    films: Films
    state: Callable[[], ModelState]
    encode_text: Callable[[str], asyncio.Future]


def exclusions(taste: Taste | None, include_seen: bool) -> set[int]:
    """What the asking user has rated, dismissed or watched (never recommended back unless asked)."""
    return set(taste.seen) if taste is not None and not include_seen else set()


def item(films: Films, movie_id: int, score: float, zone: cz.Zone.ValueType, why: list[pb.Reason],
         fits: Sequence[pb.MemberFit] = ()) -> pb.Recommendation:
    """One pick with at least one reason (its genres when nothing else is true of it)."""
    film = films.get(movie_id)
    if not why and film is not None and film.genres:
        why = [reasons.genres_only(film)]
    return pb.Recommendation(movie_id=movie_id, score=round(float(score), 6), zone=zone,
                             reasons=reasons.ordered(why), fits=list(fits))


# ------------------------------------------------------------------ quality re-rank


JUNK_PENALTY = 0.25      # off a 0-1 similarity: a junk film comes in only when nothing good is close
QUALITY_WEIGHT = 0.04    # per point of the vote-count-aware rating above the catalogue mean


def quality_adjusted(films: Films, film: Film, similarity: float) -> float:
    """A similarity with the film's quality folded in: a close, trusted, well-rated film first; a junk
    film (quality.is_junk) far behind; the vote-count-aware rating as a small tie-breaker."""
    adj = QUALITY_WEIGHT * (films.rating(film.id) - films.mean_rating)
    return similarity + adj - (JUNK_PENALTY if films.is_junk(film) else 0.0)


# ------------------------------------------------------------------ arrays over the content index


def candidate_mask(content: ContentIndex, exclude: Iterable[int], max_percentile: float | None = None) -> np.ndarray:
    mask = np.ones(len(content), dtype=bool)
    for m in exclude:
        i = content.index_of(m)
        if i is not None:
            mask[i] = False
    if max_percentile is not None:
        mask &= content.popularity_percentile <= max_percentile
    return mask


def top(scores: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores under `mask`, best first (ties: index order)."""
    cand = np.flatnonzero(mask)
    if len(cand) == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    s = scores[cand]
    part = np.argpartition(-s, k - 1)[:k] if len(cand) > k else np.arange(len(cand))
    return cand[part[np.argsort(-s[part], kind="stable")]]


def diversify(content: ContentIndex, order: np.ndarray, k: int, per_genre: int) -> list[int]:
    """Take films in `order`, at most `per_genre` per primary genre, topped up in order when short."""
    picked: list[int] = []
    seen: dict[str, int] = {}
    for i in order:
        g = content.genres[i][0] if content.genres[i] else ""
        if seen.get(g, 0) < per_genre:
            picked.append(int(i))
            seen[g] = seen.get(g, 0) + 1
            if len(picked) == k:
                return picked
    for i in order:
        if int(i) not in picked:
            picked.append(int(i))
            if len(picked) == k:
                break
    return picked


@dataclass
class Scored:
    movie_id: int
    score: float
    cf: float
    content: float
    because: list[int] = field(default_factory=list)
