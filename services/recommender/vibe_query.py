"""What a Vibe text asks for besides a mood: genres (and genres to avoid), a length, an era.

A sentence embedding of "slow-burn sci-fi with a twist, not too long" matches stories that contain
the words ("Burn, Hollywood, Burn"), not films that are science fiction and short: the model does not
turn "sci-fi" into a genre or "not too long" into a runtime. So the Vibe zone reads those parts here,
as explicit constraints it can keep and name in its reasons, and embeds only the rest (the mood).

    q = parse("slow-burn sci-fi with a twist, not too long")
    q.genres == ("Science Fiction",)      q.max_runtime == 110      q.mood == "slow-burn with a twist"

Plain, deterministic and small on purpose: a lexicon of the catalogue's 20 genres and common ways of
saying them, length phrases, decades. Anything it does not know stays in the mood text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Catalogue genre -> the ways people say it (lower case, matched as whole words; longest first wins).
GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "Science Fiction": ("science fiction", "science-fiction", "sci-fi", "scifi", "sci fi"),
    "Horror": ("horror", "scary", "slasher"),
    "Comedy": ("comedy", "comedies", "funny", "hilarious", "comedic"),
    "Romance": ("romance", "romantic", "love story", "love stories"),
    "Thriller": ("thriller", "thrillers", "suspense", "suspenseful"),
    "Mystery": ("mystery", "mysteries", "whodunit", "whodunnit", "detective story"),
    "Crime": ("crime", "heist", "gangster", "mafia", "mob"),
    "Action": ("action",),
    "Adventure": ("adventure", "adventures"),
    "Animation": ("animation", "animated", "cartoon", "anime"),
    "Documentary": ("documentary", "documentaries"),
    "Drama": ("drama", "dramas"),
    "Family": ("family film", "family movie", "family-friendly", "kid-friendly", "for kids", "for children"),
    "Fantasy": ("fantasy",),
    "History": ("historical", "period piece", "period drama"),
    "Music": ("musical", "musicals"),
    "War": ("war",),
    "Western": ("western", "westerns", "cowboy"),
}
ROM_COM = ("rom-com", "romcom", "rom com", "romantic comedy")   # two genres at once

# Length phrases -> (min, max) minutes, tried in this order (the first that matches wins). A bare
# "long" is left to the mood ("a long night"); "short", "quick" and "brief" in a request mean the film.
LENGTHS: tuple[tuple[str, tuple[int | None, int | None]], ...] = (
    (r"(?:not|nothing) (?:too|very|that|so|overly) long", (None, 110)),
    (r"(?:not|nothing) (?:too |very |that |so )?short", (100, None)),
    (r"(?:short|quick|brief)(?:ish)?", (None, 100)),
    (r"(?:long(?:ish)? (?:film|movie|one)|lengthy|over (?:two|2|three|3) hours)", (140, None)),
)
UNDER = re.compile(r"\b(?:under|less than|at most|no more than|max(?:imum)?)\s+(\d+(?:\.\d+)?|an?|one|two|three)"
                   r"\s*(h|hours?|hrs?|m|mins?|minutes?)\b")
WORD_NUMBERS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0}
DECADE = re.compile(r"\b(?:(19|20)(\d)0s|'?(\d)0s)\b")
ERA_WORDS: tuple[tuple[str, tuple[int | None, int | None]], ...] = (
    (r"(?:classic|old-school|vintage|golden[- ]age)", (None, 1975)),
    (r"(?:recent|modern)", (2010, None)),
)
NEGATION = r"(?:no|not|non|without|nothing|avoid|never)"
FILLER = re.compile(r"\b(?:a|an|the|film|films|movie|movies|something|some|please|with|and|but|or|for|of|that"
                    r"|is|it|to|in|we|i|us|want|wants|like|mood|feel|feeling|tonight|watch|one)\b")


@dataclass(frozen=True, slots=True)
class VibeQuery:
    text: str                          # the request as given (trimmed)
    mood: str                          # what is left to embed; the whole text when nothing was read out
    genres: tuple[str, ...] = ()       # every one of these (catalogue names)
    avoid: tuple[str, ...] = ()        # none of these
    min_runtime: int | None = None
    max_runtime: int | None = None
    min_year: int | None = None
    max_year: int | None = None

    @property
    def constrained(self) -> bool:
        return bool(self.genres or self.avoid or self.min_runtime or self.max_runtime or self.min_year
                    or self.max_year)


def _words(phrase: str) -> str:
    return r"(?<![\w-])" + re.escape(phrase).replace(r"\ ", r"[\s-]+") + r"(?![\w-])"


def _take(pattern: str, text: str) -> tuple[bool, str]:
    """Whether `pattern` (a regex) occurs in `text`, and the text with it blanked out (same length, so
    positions found later still point into the request as given)."""
    new, n = re.subn(pattern, lambda m: " " * len(m.group()), text)
    return n > 0, new


def _blank(text: str, m: re.Match[str]) -> str:
    return text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]


def parse(text: str) -> VibeQuery:
    original = " ".join(text.split())
    rest = original.lower()
    avoid: list[str] = []
    min_rt = max_rt = min_year = max_year = None

    # Lengths first: "not too long" must not leave a bare "long" (or a "not" that negates a genre).
    m = UNDER.search(rest)
    if m:
        amount = WORD_NUMBERS.get(m.group(1)) or float(m.group(1))
        max_rt = round(amount * 60) if m.group(2).startswith("h") else round(amount)
        rest = _blank(rest, m)
    for pattern, (lo, hi) in LENGTHS:
        if min_rt is None and max_rt is None:
            found, rest = _take(r"(?<![\w-])" + pattern + r"(?![\w-])", rest)
            if found:
                min_rt, max_rt = lo, hi

    for pattern, (lo, hi) in ERA_WORDS:
        found, rest = _take(r"(?<![\w-])" + pattern + r"(?![\w-])", rest)
        if found:
            min_year, max_year = lo, hi
    m = DECADE.search(rest)
    if m:
        if m.group(1):
            start = int(m.group(1) + m.group(2) + "0")
        else:
            d = int(m.group(3))
            start = (1900 if d >= 3 else 2000) + 10 * d
        min_year, max_year = start, start + 9
        rest = _blank(rest, m)

    where: dict[str, int] = {}   # genre -> where it was said, to keep the text's order
    m = re.search("|".join(_words(p) for p in ROM_COM), rest)
    if m:
        where |= {"Romance": m.start(), "Comedy": m.start()}
        rest = _blank(rest, m)
    # Longest phrases first, so "science fiction" is read before a shorter phrase inside it.
    phrases = sorted(((p, g) for g, ps in GENRE_WORDS.items() for p in ps), key=lambda x: -len(x[0]))
    for phrase, genre in phrases:
        negated, rest = _take(NEGATION + r"\s+(?:too\s+|very\s+|much\s+|more\s+)?" + _words(phrase), rest)
        if negated and genre not in avoid:
            avoid.append(genre)
        m = re.search(_words(phrase), rest)
        if m:
            where.setdefault(genre, m.start())
            _, rest = _take(_words(phrase), rest)
    genres = sorted((g for g in where if g not in avoid), key=lambda g: where[g])

    if len(rest) == len(original):  # blanking kept every position: the mood keeps the request's own case
        rest = "".join(o if r != " " else " " for o, r in zip(original, rest, strict=True))
    words = re.sub(r"[^\w'-]+", " ", rest).split()
    while words and FILLER.fullmatch(words[0].lower()):      # "a rom-com for a rainy sunday" -> "rainy sunday"
        words.pop(0)
    while words and FILLER.fullmatch(words[-1].lower()):
        words.pop()
    mood = " ".join(words)
    read_out = genres or avoid or min_rt or max_rt or min_year or max_year
    if not read_out or all(FILLER.fullmatch(w.lower()) for w in words):  # a pure mood, or nothing but filler left:
        mood = original                                           # embed the request as given
    return VibeQuery(original, mood, tuple(genres), tuple(avoid), min_rt, max_rt, min_year, max_year)


def describe(q: VibeQuery, genres: frozenset[str], runtime: int | None, year: int | None) -> str | None:
    """The constraints a film meets, for its reason: 'Science fiction, 1 h 38 min, as asked.'"""
    parts: list[str] = [g for g in q.genres if g in genres]
    if (q.min_runtime or q.max_runtime) and runtime:
        parts.append(f"{runtime // 60} h {runtime % 60:02d} min" if runtime >= 60 else f"{runtime} min")
    if (q.min_year or q.max_year) and year:
        parts.append(f"from {year}")
    if q.avoid and not genres & set(q.avoid):
        parts.append("no " + " or ".join(g.lower() for g in q.avoid))
    if not parts:
        return None
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + ", as asked."


def relaxed(q: VibeQuery, *, era: bool = True, genres: bool = True) -> VibeQuery:
    """`q` without its era (era=False) and without the genres asked for (genres=False); what to avoid stays."""
    return VibeQuery(q.text, q.mood, q.genres if genres else (), q.avoid, q.min_runtime, q.max_runtime,
                     q.min_year if era else None, q.max_year if era else None)


def fits(q: VibeQuery, genres: frozenset[str], runtime: int | None, year: int | None, *,
         strict_length: bool = True) -> bool:
    """Whether a film meets every constraint (a film of unknown length or year fails a length or era)."""
    if any(g not in genres for g in q.genres) or any(g in genres for g in q.avoid):
        return False
    if strict_length and (q.min_runtime or q.max_runtime):
        if runtime is None or runtime <= 0:
            return False
        if q.min_runtime and runtime < q.min_runtime or q.max_runtime and runtime > q.max_runtime:
            return False
    if q.min_year or q.max_year:
        if year is None or (q.min_year and year < q.min_year) or (q.max_year and year > q.max_year):
            return False
    return True
