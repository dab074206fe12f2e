"""What "good", "trusted", "hidden" and "junk" mean, once, for every zone and for the evaluation.

A person judges a film by its rating and by how many people gave it: 7.4 from 12 votes says little,
7.4 from 3,000 says a lot. And a person calls a film hidden when few people know it at all, not when
few of *our* 610 MovieLens viewers rated it (their ratings stop in 2018, so every recent hit would
look obscure). So:

- **rating**: the vote-count-aware (Bayesian) rating on 0-10, the film's average pulled towards the
  catalogue's mean by PRIOR_VOTES phantom votes: (v * avg + m * mean) / (v + m).
- **trusted**: at least TRUST_MIN_VOTES votes (about the catalogue's 34th percentile): below that a
  rating means little, and no zone calls such a film good or a gem.
- **obscurity**: the catalogue's popularity percentile (0-100, 100 = most votes of all; the catalogue
  ranks films by TMDb vote count, see services/catalog/ingest/loader.py). Our users' rating counts
  never define it.
- **gem**: obscure (percentile at or under the ceiling, GEM_CEILING by default, never above
  GEM_CEILING_MAX: the catalogue's top 10% is never hidden), trusted and good (average at least
  GOOD_MIN_AVERAGE).
- **junk** (what a film lover would laugh at in a list of picks): fewer than TRUST_MIN_VOTES votes or an
  average under JUNK_MAX_AVERAGE. The evaluation counts it; More like this and Vibe push it down.

The percentile is a vote-count rank and is lumpy (the union of three TMDb files: the top-10k file only
has films with 200+ votes), so ceilings are told to people in votes ("at most 400 votes"), read off
the catalogue by `VoteScale`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

PRIOR_VOTES = 100          # phantom votes at the catalogue mean in the Bayesian rating
TRUST_MIN_VOTES = 50       # fewer votes: the rating means little
GOOD_MIN_AVERAGE = 6.5     # a gem's average (TMDb, 0-10), with at least TRUST_MIN_VOTES votes
JUNK_MAX_AVERAGE = 5.5     # under this average a pick is junk, whatever its votes

GEM_CEILING = 75.0         # default hidden-gem ceiling: catalogue popularity percentile (about 830 votes)
GEM_CEILING_MAX = 90.0     # never a gem above this: the catalogue's top 10% is not hidden
GEM_CEILING_MIN = 35.0     # under about the 34th percentile no film has TRUST_MIN_VOTES votes: no gem is left

LESSER_KNOWN_MAX = 50.0    # at or under this percentile any zone may call a trusted film "lesser-known"
WELL_RATED_MIN = 7.0       # at or over this vote-count-aware rating any zone may call a trusted film "well rated"
DEFAULT_MEAN = 6.3         # the Bayesian centre before the catalogue is known (catalogue_mean replaces it)


def bayes_rating(average: float, votes: int, mean: float, prior: float = PRIOR_VOTES) -> float:
    """The vote-count-aware rating on 0-10."""
    v = max(0, int(votes))
    return (v * float(average) + prior * mean) / (v + prior)


def is_trusted(votes: int) -> bool:
    return votes >= TRUST_MIN_VOTES


def is_junk(average: float, votes: int) -> bool:
    return votes < TRUST_MIN_VOTES or average < JUNK_MAX_AVERAGE


def is_good(average: float, votes: int) -> bool:
    return is_trusted(votes) and average >= GOOD_MIN_AVERAGE


def clamp_ceiling(ceiling: float | None) -> float:
    """The ceiling a gem query uses: the default when none is given, held inside the range where
    trusted obscure films exist and never above the catalogue's top 10%."""
    if ceiling is None:
        return GEM_CEILING
    return min(GEM_CEILING_MAX, max(GEM_CEILING_MIN, float(ceiling)))


def is_gem(average: float, votes: int, percentile: float, ceiling: float | None = None) -> bool:
    return percentile <= clamp_ceiling(ceiling) and is_good(average, votes)


def catalogue_mean(averages: Iterable[float], votes: Iterable[int]) -> float:
    """The mean average of the trusted films: the centre the Bayesian rating pulls towards."""
    a = np.asarray(list(averages), dtype=np.float64)
    v = np.asarray(list(votes), dtype=np.int64)
    ok = v >= TRUST_MIN_VOTES
    return float(a[ok].mean()) if ok.any() else DEFAULT_MEAN


# ------------------------------------------------------------------ arrays (the taste rankings)


def bayes_ratings(averages: np.ndarray, votes: np.ndarray, mean: float) -> np.ndarray:
    v = np.maximum(np.asarray(votes, dtype=np.float64), 0)
    return ((v * averages + PRIOR_VOTES * mean) / (v + PRIOR_VOTES)).astype(np.float32)


def gem_mask(averages: np.ndarray, votes: np.ndarray, percentiles: np.ndarray,
             ceiling: float | None = None) -> np.ndarray:
    return ((np.asarray(percentiles) <= clamp_ceiling(ceiling)) & (np.asarray(votes) >= TRUST_MIN_VOTES)
            & (np.asarray(averages) >= GOOD_MIN_AVERAGE))


def junk_mask(averages: np.ndarray, votes: np.ndarray) -> np.ndarray:
    return (np.asarray(votes) < TRUST_MIN_VOTES) | (np.asarray(averages) < JUNK_MAX_AVERAGE)


# ------------------------------------------------------------------ percentiles in votes


@dataclass(frozen=True)
class VoteScale:
    """Catalogue popularity percentile <-> vote count, read off the films themselves."""
    percentiles: tuple[float, ...]   # ascending
    max_votes: tuple[int, ...]       # the most votes of any film at or under that percentile

    @classmethod
    def of(cls, pairs: Iterable[tuple[float, int]]) -> VoteScale:
        """From (percentile, votes) per film. The running maximum keeps it true even while the films'
        percentiles are mid-update (a catalogue ingest arrives film by film)."""
        ordered = sorted(pairs)
        running: np.ndarray | list[int] = np.maximum.accumulate([v for _, v in ordered]) if ordered else []
        return cls(tuple(p for p, _ in ordered), tuple(int(v) for v in running))

    def max_votes_at(self, percentile: float) -> int:
        """The most votes a film at or under `percentile` has (0 when none is)."""
        i = bisect.bisect_right(self.percentiles, percentile)
        return self.max_votes[i - 1] if i else 0

    def describe(self, ceiling: float) -> str:
        """The ceiling in words: "at most 400 votes"."""
        return f"at most {round_votes(self.max_votes_at(ceiling)):,} votes"


def round_votes(v: int) -> int:
    """A vote count as a person would say it (about two significant figures), rounded up so that "at
    most N votes" stays true."""
    if v < 100:
        return v
    step = 10 if v < 1000 else 50 if v < 5000 else 500
    return -(-v // step) * step
