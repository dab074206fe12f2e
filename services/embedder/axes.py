"""The embedding axes of a film: the text each axis encodes, and the combined vector.

Each axis is its own 384-d space (its own pgvector column and HNSW index), so the recommender can
weigh "what it is about" apart from "who made it" and "what kind of film it is".

Templates (empty parts are left out, never written as "unknown"):

    story   "{title}. {tagline} {overview} Themes: {keyword}, {keyword}, ..."
    people  "Directed by {director} and {director}. Starring {cast 1}, {cast 2}, ..."
    style   "{genre}, {genre} film by {director}. Made by {company}, {company}.
             {decade} {era}, {length}. In {language}."

- story falls back to the title alone when a film has no tagline, overview or keywords.
- people falls back to the title when a film has no director and no cast, and the film's
  `has_people` flag is false, so the recommender can ignore that axis for it.
- style always has content: genres, era (year) and length (runtime) are known for almost every film.

`combined` is not encoded again: it is the normalised weighted sum of the three axis vectors
(COMBINED_WEIGHTS), which costs nothing and keeps it consistent with the axes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from movierec.catalog.v1 import catalog_pb2 as pb

AXES = ("story", "people", "style")
COMBINED_WEIGHTS = {"story": 0.6, "people": 0.2, "style": 0.2}
MAX_KEYWORDS = 10
MAX_CAST = 5

LANGUAGES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "zh": "Chinese", "cn": "Cantonese", "hi": "Hindi", "ru": "Russian", "pt": "Portuguese",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "nl": "Dutch", "fi": "Finnish", "pl": "Polish",
    "tr": "Turkish", "th": "Thai", "ta": "Tamil", "te": "Telugu", "fa": "Persian", "he": "Hebrew",
    "ar": "Arabic", "id": "Indonesian", "cs": "Czech", "hu": "Hungarian", "el": "Greek", "ro": "Romanian",
}


@dataclass(frozen=True, slots=True)
class AxisTexts:
    story: str
    people: str
    style: str
    has_story: bool
    has_people: bool

    def of(self, axis: str) -> str:
        return getattr(self, axis)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _era(year: int | None) -> str:
    if not year:
        return ""
    decade = f"{year // 10 * 10}s"
    if year < 1930:
        return f"{decade} silent-era"
    if year < 1960:
        return f"{decade} classic"
    if year < 2000:
        return decade
    return f"{decade} modern"


def _length(minutes: int | None) -> str:
    if not minutes:
        return ""
    if minutes < 80:
        return "short"
    if minutes <= 120:
        return "feature-length"
    if minutes <= 150:
        return "long"
    return "epic-length"


def texts_for(movie: pb.Movie) -> AxisTexts:
    title = movie.title.strip()
    kws = [k for k in movie.keywords[:MAX_KEYWORDS] if k]
    story_parts = [p for p in (movie.tagline.strip(), movie.overview.strip()) if p]
    if kws:
        story_parts.append("Themes: " + ", ".join(kws) + ".")
    story = f"{title}. " + " ".join(story_parts) if story_parts else title

    directors = [p.name for p in movie.directors]
    cast = [p.name for p in movie.cast[:MAX_CAST]]
    people_parts = []
    if directors:
        people_parts.append(f"Directed by {_join(directors)}.")
    if cast:
        people_parts.append(f"Starring {', '.join(cast)}.")
    people = " ".join(people_parts) or title

    year = movie.year if movie.HasField("year") else None
    runtime = movie.runtime_minutes if movie.HasField("runtime_minutes") else None
    genres = ", ".join(movie.genres)
    head = f"{genres} film" if genres else "Film"
    if directors:
        head += f" by {_join(directors)}"
    style_parts = [head + "."]
    if movie.companies:
        style_parts.append(f"Made by {', '.join(list(movie.companies)[:3])}.")
    when = ", ".join(p for p in (_era(year), _length(runtime)) if p)
    if when:
        style_parts.append(when[0].upper() + when[1:] + ".")
    lang = LANGUAGES.get(movie.original_language, movie.original_language)
    if lang:
        style_parts.append(f"In {lang}.")
    return AxisTexts(story=story, people=people, style=" ".join(style_parts),
                     has_story=bool(story_parts), has_people=bool(people_parts))


def text_hash(model: str, text: str) -> str:
    """Identifies an axis vector: the model that encoded it and the exact text."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


def combine(vectors: dict[str, np.ndarray]) -> np.ndarray:
    first, *rest = AXES
    v = COMBINED_WEIGHTS[first] * vectors[first]  # the weighted sum, added in AXES order
    for a in rest:
        v = v + COMBINED_WEIGHTS[a] * vectors[a]
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)
