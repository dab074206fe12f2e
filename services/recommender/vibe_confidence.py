"""Whether a Vibe text says anything the catalogue can answer: gibberish ("asdfgh jkl", "blorp zindle
quav") and texts with nothing in them ("a film", "???") get no picks but a message and moods to try.

The embedding cannot tell on its own: the best cosine of gibberish to a film's story (0.24-0.46 over
23 gibberish texts) overlaps that of real moods (the lowest of the labelled moods without a genre or
other constraint: 0.43). What separates them is the words. A text is read as confident when
  * it asks for something vibe_query reads out (a genre, a genre or content to avoid, a length, an era),
    or
  * at least MIN_KNOWN_SHARE of its content words (not STOPWORDS, at least two letters; digits alone
    do not count) are words the catalogue uses (in at least MIN_DOC_FREQ films' titles, taglines,
    overviews or keywords; films.Films.vocabulary) or words vibe_query knows, and its best story match
    is at least MIN_BEST_MATCH.
Measured on the labelled moods (offline/moods.py: every one has all its content words known) and the
external set and gibberish (offline/moods_external.py: every gibberish text has at most a fifth of its
words known); `make eval` reports both (zone_quality.vibe_confidence).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from services.recommender import vibe_query

MIN_KNOWN_SHARE = 0.5
MIN_DOC_FREQ = 2
# Under every labelled mood's best match (offline/moods.py 0.50, moods_external.py 0.43 for texts with no
# constraint), and under which a text matches no film's story meaningfully.
MIN_BEST_MATCH = 0.35

STOPWORDS = frozenset("""
a an the and or nor but so of for to in on at by from with without about into onto over under than then as
is are was were be been being am it its it's this that these those there here some any something anything
someone me my mine i i'm im we us our you your he she they them their please pls like kind sort type want
wanna need would could should can will just really very quite pretty bit little lot more most much many
watch watching watched see tonight today now one ones film films movie movies flick flicks show thing
stuff get got have has had do does did dont don't isnt isn't arent aren't not no
""".split())

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_DECADE = re.compile(r"(?:19|20)?\d0s")

LOW_CONFIDENCE_MESSAGE = "We could not find a mood in that."
SUGGESTIONS = (
    "a cozy feel-good comedy for a rainy sunday",
    "a tense heist thriller, not too long",
    "a mind-bending sci-fi mystery",
    "something romantic and a little sad",
    "a heartwarming dog movie, nothing scary",
)


@dataclass(frozen=True, slots=True)
class Reading:
    confident: bool
    known_share: float        # share of content words the catalogue (or vibe_query) knows; 0 when none
    best_match: float         # best cosine of the mood to a film's story among the candidates
    why: str = ""             # when not confident: "no_words", "unknown_words" or "weak_match"

    @property
    def message(self) -> str:
        if self.confident:
            return ""
        detail = {"no_words": " Describe it in a few words: a feeling, a genre, a setting or a theme.",
                  "unknown_words": " Most of its words are not ones films are described with.",
                  "weak_match": " No film's story comes close to it."}[self.why]
        return LOW_CONFIDENCE_MESSAGE + detail


def fold(text: str) -> str:
    """Lower case without accents (as the catalogue folds names)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits, an inner apostrophe kept)."""
    return _TOKEN.findall(fold(text))


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1 and (not w.isdigit() or _DECADE.fullmatch(w))]


def _lexicon() -> frozenset[str]:
    phrases = [p for ws in vibe_query.GENRE_WORDS.values() for p in ws]
    phrases += [p for ws in vibe_query.AVOID_ONLY_GENRE_WORDS.values() for p in ws]
    phrases += list(vibe_query.ROM_COM) + [w for t in vibe_query.TOPICS.values() for w in t.words]
    return frozenset(w for p in phrases for w in words(p))


LEXICON = _lexicon()


def known(word: str, vocabulary: Mapping[str, int]) -> bool:
    return bool(_DECADE.fullmatch(word)) or word in LEXICON or vocabulary.get(word, 0) >= MIN_DOC_FREQ


def read(q: vibe_query.VibeQuery, vocabulary: Mapping[str, int], best_match: float) -> Reading:
    """How confidently the text of `q` can be answered, given the catalogue's word counts."""
    content = content_words(q.text)
    share = sum(known(w, vocabulary) for w in content) / len(content) if content else 0.0
    best = round(float(best_match), 4)
    if q.constrained:
        return Reading(True, share, best)
    if not content:
        return Reading(False, 0.0, best, "no_words")
    if share < MIN_KNOWN_SHARE:
        return Reading(False, share, best, "unknown_words")
    if best < MIN_BEST_MATCH:
        return Reading(False, share, best, "weak_match")
    return Reading(True, share, best)
