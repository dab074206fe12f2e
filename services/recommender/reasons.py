"""Why a film is recommended: structured reasons (kind, the films/people/genres/users they point at,
one short sentence, a weight for ordering), built from what the films really share."""

from __future__ import annotations

from collections.abc import Sequence

from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender.films import Film, Films

R = pb  # ReasonKind values
STORY_THRESHOLD = 0.45
LOW_POPULARITY_MAX = 50.0
WELL_RATED_MIN = 7.0


def _names(items: Sequence[str], n: int = 2) -> str:
    items = list(items)[:n]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reason(kind: int, text: str, weight: float, *, movie_ids: Sequence[int] = (), people: Sequence[str] = (),
           genres: Sequence[str] = (), user_ids: Sequence[str] = ()) -> pb.Reason:
    return pb.Reason(kind=kind, text=text, weight=round(weight, 4), movie_ids=list(movie_ids), people=list(people),
                     genres=list(genres), user_ids=list(user_ids))


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


def obscurity_and_quality(films: Films, film: Film) -> list[pb.Reason]:
    out = []
    if film.popularity_percentile <= LOW_POPULARITY_MAX:
        out.append(reason(R.REASON_KIND_LOW_POPULARITY,
                          f"A lesser-known film: {film.popularity_percentile:.0f}% of the catalogue is less popular.",
                          0.6))
    q = films.quality(film.id)
    if q >= WELL_RATED_MIN and film.vote_count >= 20:
        out.append(reason(R.REASON_KIND_WELL_RATED,
                          f"Well rated: {film.vote_average:.1f}/10 from {film.vote_count:,} votes.", 0.4))
    return out


def because_you_rated(films: Films, movie_ids: Sequence[int], weight: float = 0.9) -> list[pb.Reason]:
    titles = [films.get(m).title for m in movie_ids if films.get(m) is not None]
    if not titles:
        return []
    return [reason(R.REASON_KIND_BECAUSE_YOU_RATED, f"Because you liked {_names(titles)}.", weight,
                   movie_ids=[m for m in movie_ids if m in films])]


def ordered(reasons: list[pb.Reason], limit: int = 4) -> list[pb.Reason]:
    return sorted(reasons, key=lambda r: -r.weight)[:limit]
