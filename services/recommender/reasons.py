"""Every reason sentence the recommender writes: structured reasons (kind, the films/people/genres/
users they point at, one short sentence, a weight for ordering), each built only from what is true
of the pick (shared metadata, its votes and rating, the members' fits)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import quality as q
from services.recommender.films import Film, Films
from services.recommender.tastes import Taste

R = pb  # ReasonKind values
STORY_THRESHOLD = 0.45
GEM_WEIGHT = 1.1            # above every shared-metadata reason: a gem's first reason says why it is one
MIDDLE_GROUND_GAP = 0.1     # Together: fits this close together are a middle ground, not "mainly for" one


def _names(items: Sequence[str], n: int = 2) -> str:
    items = list(items)[:n]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reason(kind: pb.ReasonKind.ValueType, text: str, weight: float, *, movie_ids: Sequence[int] = (),
           people: Sequence[str] = (), genres: Sequence[str] = (), user_ids: Sequence[str] = ()) -> pb.Reason:
    return pb.Reason(kind=kind, text=text, weight=round(weight, 4), movie_ids=list(movie_ids), people=list(people),
                     genres=list(genres), user_ids=list(user_ids))


def ordered(reasons: list[pb.Reason], limit: int = 4) -> list[pb.Reason]:
    return sorted(reasons, key=lambda r: -r.weight)[:limit]


# ------------------------------------------------------------------ what a pick shares with an anchor


def shared_with(anchor: Film, film: Film, story_similarity: float | None = None) -> list[pb.Reason]:
    """What `film` shares with `anchor`: director, cast, story, genres, keywords, studio."""
    out: list[pb.Reason] = []
    if directors := [d for d in film.directors if d in anchor.directors]:
        out.append(reason(R.REASON_KIND_SHARED_DIRECTOR, f"Also directed by {_names(directors)}.", 1.0,
                          movie_ids=[anchor.id], people=directors))
    if cast := [c for c in film.cast if c in anchor.cast]:
        out.append(reason(R.REASON_KIND_SHARED_CAST, f"Also stars {_names(cast)}.", 0.8 + 0.05 * min(len(cast), 3),
                          movie_ids=[anchor.id], people=cast[:5]))
    if story_similarity is not None and story_similarity >= STORY_THRESHOLD:
        out.append(reason(R.REASON_KIND_SIMILAR_STORY, f"Its story is close to {anchor.title}'s.", story_similarity,
                          movie_ids=[anchor.id]))
    if keywords := sorted(film.keywords & anchor.keywords):
        out.append(reason(R.REASON_KIND_SHARED_KEYWORDS, f"Also about {_names(keywords, 3)}.",
                          0.5 + 0.05 * min(len(keywords), 4), movie_ids=[anchor.id]))
    if genres := sorted(film.genres & anchor.genres):
        out.append(reason(R.REASON_KIND_SHARED_GENRES, f"{_names(genres, 3)}, like {anchor.title}.",
                          0.3 + 0.05 * len(genres), movie_ids=[anchor.id], genres=genres))
    if studios := sorted(film.companies & anchor.companies):
        out.append(reason(R.REASON_KIND_SHARED_STUDIO, f"From {_names(studios)}, like {anchor.title}.", 0.35,
                          movie_ids=[anchor.id]))
    return out


def genres_only(film: Film) -> pb.Reason:
    g = sorted(film.genres)[:3]
    return reason(R.REASON_KIND_SHARED_GENRES, f"{', '.join(g)}.", 0.1, genres=g)


# ------------------------------------------------------------------ the pick's own votes and rating


def quality(films: Films, film: Film) -> list[pb.Reason]:
    """"Lesser-known" and "well rated", each only when true (quality.py's rating, trusted votes)."""
    out = []
    if film.popularity_percentile <= q.LESSER_KNOWN_MAX and q.is_trusted(film.vote_count):
        out.append(reason(R.REASON_KIND_LOW_POPULARITY, f"Lesser-known: only {film.vote_count:,} votes.", 0.6))
    if q.is_trusted(film.vote_count) and films.rating(film.id) >= q.WELL_RATED_MIN:
        out.append(reason(R.REASON_KIND_WELL_RATED,
                          f"Well rated: {film.vote_average:.1f}/10 from {film.vote_count:,} votes.", 0.4))
    return out


def hidden(film: Film) -> list[pb.Reason]:
    """Why a gem is a gem: the people who saw it rated it well, and few did (quality.is_gem holds)."""
    return [reason(R.REASON_KIND_LOW_POPULARITY,
                   f"A hidden gem: rated {film.vote_average:.1f}/10 by only {film.vote_count:,} people.",
                   GEM_WEIGHT)]


def popular_start(film: Film) -> pb.Reason:
    return reason(R.REASON_KIND_POPULAR_START, f"Widely seen ({film.vote_count:,} votes): rating it tunes For you.",
                  1.0)


# ------------------------------------------------------------------ taste


def because_you_rated(films: Films, movie_ids: Sequence[int], weight: float = 0.9) -> list[pb.Reason]:
    titles = [f.title for m in movie_ids if (f := films.get(m)) is not None]
    if not titles:
        return []
    return [reason(R.REASON_KIND_BECAUSE_YOU_RATED, f"Because you liked {_names(titles)}.", weight,
                   movie_ids=[m for m in movie_ids if m in films])]


def liked_by_similar_viewers() -> pb.Reason:
    return reason(R.REASON_KIND_LIKED_BY_SIMILAR_VIEWERS, "Viewers who rate like you liked it.", 0.7)


def close_to_your_taste(similarity: float) -> pb.Reason:
    return reason(R.REASON_KIND_BECAUSE_YOU_RATED, "Close to films you rated highly.", similarity)


# ------------------------------------------------------------------ Vibe


def matches_vibe(mood: str, similarity: float) -> pb.Reason:
    quoted = mood if len(mood) <= 40 else mood[:39] + "…"
    return reason(R.REASON_KIND_MATCHES_VIBE, f"Its story matches “{quoted}”.", similarity + 0.5)


def as_asked(text: str, similarity: float) -> pb.Reason:
    return reason(R.REASON_KIND_MATCHES_VIBE, text, similarity + 0.4)


def theme_named(keyword: str, similarity: float) -> pb.Reason:
    """The film carries a TMDb keyword the mood names outright."""
    return reason(R.REASON_KIND_MATCHES_VIBE, f"Tagged “{keyword}”, as you asked.", similarity + 0.35)


def theme_close_to_mood(keyword: str, similarity: float) -> pb.Reason:
    """The film carries a TMDb keyword among the closest to the mood (vibe_evidence.KEYWORD_REASON_Z)."""
    return reason(R.REASON_KIND_MATCHES_VIBE, f"Tagged “{keyword}”, a theme close to what you described.",
                  similarity + 0.3)


# ------------------------------------------------------------------ Together


def top_share(fit: float) -> str:
    """A calibrated fit (the share of the catalogue scored below the film) as the member's top share,
    rounded up so it is never flattering: 0.996 -> "top 1%", 0.93 -> "top 7%"."""
    return f"top {max(1, math.ceil(round(100 * (1 - fit), 6)))}%"


def on_watchlist(members: Sequence[Taste], weight: float) -> pb.Reason:
    """Together: the members who have the film on their watchlist (at least one)."""
    names = [m.username for m in members]
    text = f"On {names[0]}'s watchlist." if len(names) == 1 else f"On the watchlists of {_names(names, len(names))}."
    return reason(R.REASON_KIND_ON_WATCHLIST, text, weight, user_ids=[m.user_id for m in members])


def group_fit(members: Sequence[Taste], fits: Sequence[float], threshold: float, weight: float,
              known: Sequence[bool] | None = None) -> pb.Reason:
    """Each member's fit, said as it is. "Fits everyone" only when every member has a known taste and
    reaches the threshold; "mainly for" the members in the upper half of the range when the known fits lie
    MIDDLE_GROUND_GAP or more apart (or only one member's taste is known); else a middle ground. A member
    without ratings is named as such: their fit is only the catalogue's general order."""
    known = list(known) if known is not None else [True] * len(members)
    ids = [m.user_id for m in members]
    order = sorted(range(len(members)), key=lambda i: (not known[i], -fits[i]))
    listed = ", ".join(f"{top_share(fits[i])} for {members[i].username}" if known[i]
                       else f"no ratings yet from {members[i].username}" for i in order)
    rated = [i for i in order if known[i]]
    if len(rated) == len(members) and all(fits[i] >= threshold for i in rated):
        return reason(R.REASON_KIND_FITS_EVERYONE, f"Fits everyone: {listed}.", weight, user_ids=ids)
    if not rated:
        return reason(R.REASON_KIND_MAINLY_FOR, f"Well liked by most people: {listed}.", weight, user_ids=ids)
    hi, lo = fits[rated[0]], fits[rated[-1]]
    if len(rated) == 1 or hi - lo >= MIDDLE_GROUND_GAP:
        suits = [i for i in rated if fits[i] >= (hi + lo) / 2]
        whom = _names([members[i].username for i in suits], len(suits))
        return reason(R.REASON_KIND_MAINLY_FOR, f"Mainly for {whom}: {listed}.", weight,
                      user_ids=[ids[i] for i in suits])
    return reason(R.REASON_KIND_MAINLY_FOR, f"A middle ground: {listed}.", weight, user_ids=ids)
