"""What a Vibe text asks for besides a mood: genres (and genres to avoid), a length, an era, and the
content to keep out.

A sentence embedding of "slow-burn sci-fi with a twist, not too long" matches stories that contain
the words ("Burn, Hollywood, Burn"), not films that are science fiction and short: the model does not
turn "sci-fi" into a genre or "not too long" into a runtime. So the Vibe zone reads those parts here,
as explicit constraints it can keep and name in its reasons, and embeds only the rest (the mood).

    q = parse("slow-burn sci-fi with a twist, not too long")
    q.genres == ("Science Fiction",)      q.max_runtime == 110      q.mood == "slow-burn with a twist"

Negation. An embedding cannot tell "not gory" from "gory" (both find ThanksKilling and Maniac), so
what a text says to avoid is read out too, in the phrasings people use: "no horror", "not a comedy",
"isn't/is not a comedy", "aren't comedies", "non-horror", "without (any) comedy", "nothing with horror
in it", "nothing horror-y", "anything but horror", "minus the gore", "not too/very/overly scary",
"no horror please", "horror-free", "skip the horror", "avoid horror", "rather not watch horror",
"don't want horror", "funny but not scary", "anything except/other than horror", "neither horror nor
comedy". A negation covers a list closed by "or"/"nor" ("no horror, war or comedy"); "and" continues
it only with another negation ("no horror and no comedy") or a content word ("no gore and drugs"), as
"no horror and a comedy" asks for the comedy. What is negated is either
  * a genre (GENRE_WORDS, plus AVOID_ONLY_GENRE_WORDS, words that only mean a genre when negated:
    "no jump scares", "nothing creepy" avoid Horror), kept in `avoid`; or
  * a content topic (TOPICS: gore/violence, sadness, sex/nudity, drugs), a few words mapped to the
    catalogue's own TMDb keywords (checked against catalog.keywords), kept in `avoid_topics` and
    `avoid_keywords`: a film carrying any of those keywords is out.
Only a negation cue directly before the word (with a few fillers: "a", "any", "too", "want", "the
mood for"...) counts, so "not to be missed", "nothing but fun", "can't stop laughing", "no-holds-barred
action", "not only funny but also smart", "never gets old", "notorious", "anything goes" are mood, and
"non" is a prefix only when written "non-x"/"non x" or glued to a known word ("nonviolent"): "a nun",
"nonstop action" are not negations.

Films without keywords (about a third of the catalogue has none, and the rest carry about five each)
are judged by their genres alone: a topic with a stand-in genre (TOPICS' `bare_genres`: "not gory",
"no violence" -> Horror) avoids that genre for them, unless the text asks for it ("horror but not
gory" keeps the keyword-less horror films: nothing tells them apart); topics with no stand-in genre
("no sex", "no drugs", "nothing sad") cannot be judged for them and let them through. A film's reason
says "no gore" only when the film has keywords and none of them is avoided.

Negated words never reach the mood. When nothing but filler is left, the text without its negations is
embedded ("something funny, no horror" -> "something funny"), and a text that is nothing but a
negation ("no horror please") is embedded as given: fits() is what keeps horror out.

Plain, deterministic and small on purpose: a lexicon of the catalogue's 20 genres and common ways of
saying them, content topics, length phrases, decades. Anything it does not know stays in the mood text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled once. parse builds its patterns from the fixed phrase lists below: a bounded set,
    but larger than re's own cache, which other modules share (and a miss there is a whole compile)."""
    return re.compile(pattern)

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
# Genre words that also say what the story is about ("a tense heist thriller": a heist, not any crime film):
# read as their genre and kept in the mood too, where the story match and the keywords the mood names
# (vibe_evidence: "heist") can find them.
STORY_GENRE_WORDS = frozenset({"heist", "gangster", "mafia", "mob", "slasher", "cowboy", "whodunit", "whodunnit",
                               "detective story", "love story", "love stories"})
# Hedges that only soften the word after them ("romantic and a little sad"): left out of the mood, where
# they match titles ("The Little Rascals") instead of a tone.
HEDGE = re.compile(r"(?<![\w-])(?:a\s+little\s+bit|a\s+little|a\s+bit|a\s+tad|slightly|somewhat|kind\s+of|sort\s+of)"
                   r"(?=\s+[a-z])")
ROM_COM = ("rom-com", "romcom", "rom com", "romantic comedy")   # two genres at once (negated: avoid both)
# Words that mean a genre only when negated: "nothing creepy" avoids Horror, "something creepy" is a mood.
# (The catalogue has no "jump scare" keyword: the genre is the only way to keep them out.)
AVOID_ONLY_GENRE_WORDS: dict[str, tuple[str, ...]] = {
    "Horror": ("jump scares", "jump scare", "jumpscares", "jumpscare", "scares", "creepy", "spooky", "frightening",
               "terrifying", "horrifying", "horror films", "horror movies"),
}


@dataclass(frozen=True, slots=True)
class Topic:
    """Content a text can ask to keep out, as the catalogue's TMDb keywords for it."""
    words: tuple[str, ...]             # the ways people say it (after a negation: "not gory", "no nudity")
    keywords: frozenset[str]           # a film carrying any of these has it
    bare_genres: tuple[str, ...] = ()  # genres that stand in for it for films without keywords


# Label (as a reason names it: "no gore, as asked") -> topic. Keywords as they are in catalog.keywords.
TOPICS: dict[str, Topic] = {
    "gore": Topic(
        ("gory", "gore", "goriness", "bloody", "blood", "bloodshed", "gruesome", "grisly", "splatter", "violent",
         "violence", "graphic violence", "brutal", "brutality", "torture", "sadistic"),
        frozenset({"gore", "splatter", "blood splatter", "blood", "bloodbath", "bloody violence", "violence",
                   "extreme violence", "graphic violence", "brutal violence", "strong violence", "brutality",
                   "violent death", "burst of violence", "torture", "sadistic torture", "sadism", "sadistic", "sadist",
                   "massacre", "slaughter", "killing spree", "mutilation", "decapitation", "cannibalism", "cannibal",
                   "body horror", "slasher"}),
        bare_genres=("Horror",)),
    "heartbreak": Topic(
        ("sad", "sadness", "depressing", "depressed", "tearjerker", "tear-jerker", "tearjerkers", "weepy", "weepie",
         "heartbreaking", "heartbreak", "tragic", "tragedy", "tragedies", "downer", "bleak", "crying", "tears"),
        frozenset({"sadness", "depression", "grief", "tragedy", "tragic death", "melancholy", "despair",
                   "terminal illness", "dying and death", "death of a child", "loss of child", "loss of a child",
                   "death in family", "suicide", "suicide attempt", "attempted suicide", "euthanasia"})),
    "sex": Topic(
        ("sex", "sexual", "sex scenes", "sex scene", "nudity", "nude", "nudes", "naked", "explicit", "erotic",
         "erotica", "steamy", "smut", "smutty", "raunchy"),
        frozenset({"sex", "sex scene", "explicit sex", "unsimulated sex", "nudity", "female nudity", "male nudity",
                   "eroticism", "erotic movie", "erotic thriller", "pornography", "orgy", "striptease",
                   "sexual obsession"})),
    "drugs": Topic(
        ("drugs", "drug", "drug use", "drug-taking", "cocaine", "heroin", "junkies", "addiction", "addicts"),
        frozenset({"drug", "drug use", "drug abuse", "drug addiction", "drugs and addiction", "drug scene",
                   "drug overdose", "overdose", "cocaine", "heroin", "heroin addict", "junkie", "addiction",
                   "recovering drug addict", "smoking marijuana"})),
}

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

# A gentle tone ("cozy", "feel-good") pushes these genres and the keywords of these topics down
# (zones.vibe.TONE_PENALTY), without ruling them out and not when the text asks for one: without it the
# story match and vibe_evidence put Gremlins and When the Wind Blows (a nuclear war) among "cozy
# feel-good comedy for a rainy sunday", and A Good Old Fashioned Orgy among "something gentle and sweet
# to watch with my gran".
GENTLE_TONES = ("cozy", "cosy", "feel-good", "feel good", "feelgood", "heartwarming", "heart-warming", "wholesome",
                "uplifting", "lighthearted", "light-hearted", "comforting", "sweet", "gentle", "relaxing", "calming")
TONE_SOFTENS = ("Horror", "War")
TONE_SOFTENS_TOPICS = ("gore", "sex")

# A negation: a cue, a few fillers, then a list of genres/topics ("no horror or comedy"), and what may trail it.
NEG_CUES = (r"no|not|never|neither|without|nothing|zero|minus|sans|cannot|[a-z]+n't|dont|doesnt|isnt|arent|wont"
            r"|avoid(?:ing)?|skip(?:ping)?|except(?:\s+for)?|excluding|other\s+than|anything\s+but|free\s+(?:of|from)"
            r"|hold\s+the|spare\s+me")
NEG_FILLERS = (r"a|an|the|any|anything|too|very|overly|so|that|that's|remotely|particularly|at|all|much|more|with"
               r"|want|wanna|have|need|like|stand|be|is|are|do|see|watch|in|mood|for|of|some|really|real|actual|big"
               r"|fan|lot|lots|heavy|kind|sort")
NEG_TRAILERS = r"in\s+it|please|stuff|scenes?|films?|movies?|at\s+all|whatsoever|thanks|thank\s+you"
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
    avoid_keywords: tuple[str, ...] = ()  # no film carrying any of these TMDb keywords (sorted)
    avoid_topics: tuple[str, ...] = ()    # the TOPICS they come from, in the text's order ("gore", "drugs")
    soften: tuple[str, ...] = ()          # genres a gentle tone pushes down without ruling out (TONE_SOFTENS)
    soften_keywords: tuple[str, ...] = ()  # ... and TMDb keywords (TONE_SOFTENS_TOPICS'), sorted

    @property
    def constrained(self) -> bool:
        return bool(self.genres or self.avoid or self.min_runtime or self.max_runtime or self.min_year
                    or self.max_year or self.avoid_keywords)


def _words(phrase: str) -> str:
    return r"(?<![\w-])" + re.escape(phrase).replace(r"\ ", r"[\s-]+") + r"(?![\w-])"


def _norm(phrase: str) -> str:
    return _rx(r"[\s-]+").sub(" ", phrase.lower()).strip()


# Every word a negation can name: normalised phrase -> ("genre", genres) or ("topic", label).
NEGATABLE: dict[str, tuple[str, tuple[str, ...] | str]] = {
    **{_norm(p): ("genre", (g,)) for words in (GENRE_WORDS, AVOID_ONLY_GENRE_WORDS) for g, ps in words.items()
       for p in ps},
    **{_norm(p): ("genre", ("Romance", "Comedy")) for p in ROM_COM},
    **{_norm(p): ("topic", label) for label, t in TOPICS.items() for p in t.words},
}


def _alt(phrases) -> str:
    """A regex alternation of `phrases`, longest first (a space in one also matches a hyphen)."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in ordered) + ")"


_END = r"(?:s|-y|-?ish)?(?![\w-])"            # "horrors", "nothing horror-y", "nothing comedy-ish"
_T = _alt(NEGATABLE) + _END
_TOPIC = _alt(p for p, (kind, _) in NEGATABLE.items() if kind == "topic") + _END
TERM = re.compile(r"(?<![\w-])(?P<t>" + _alt(NEGATABLE) + ")" + _END)
_DET = r"(?:(?:any|the|a|an|no|too|more)\s+)?"
_LIST = (_T + r"(?:(?:\s*,\s*" + _T + r")*\s*,?\s+(?:(?:or|nor)\s+" + _DET + _T + r"|and\s+" + _DET + _TOPIC + "))*"
         r"(?:\s+(?:" + NEG_TRAILERS + r")(?![\w-]))*")
_CUE = r"(?P<cue>(?:" + NEG_CUES + r")\s+(?:(?:" + NEG_FILLERS + r")\s+){0,5})"
NEGATED = re.compile(
    r"(?<![\w-])(?:(?:" + _CUE + r"|non[-\s]?)" + _LIST         # "no horror", "non-violent", "nonviolent"
    + r"|(?P<post>" + _alt(NEGATABLE) + r")[\s-]free(?![\w-])"   # "horror-free", "gore free"
    + r"|(?P<thanks>" + _T + r")\s*[,?!.]?\s*no\s+thanks)")     # "horror? no thanks"


def _negations(text: str) -> tuple[list[str], list[str], str]:
    """The genres and topics `text` negates (in its order), and the text with each negation blanked out."""
    genres: list[str] = []
    topics: list[str] = []

    def read(m: re.Match[str]) -> str:
        span = m.group()
        if m.group("cue") is not None:
            span = span[len(m.group("cue")):]
        elif m.group("post") is not None or m.group("thanks") is not None:
            span = m.group("post") or m.group("thanks")
        else:
            span = _rx(r"^non[-\s]?").sub("", span)
        for t in TERM.finditer(span):
            _, what = NEGATABLE[_norm(t.group("t"))]
            if isinstance(what, tuple):  # a genre word ("genre", its genres); else ("topic", the label)
                genres.extend(g for g in what if g not in genres)
            elif what not in topics:
                topics.append(what)
        return " " * len(m.group())

    return genres, topics, NEGATED.sub(read, text)


def _take(pattern: str, text: str) -> tuple[bool, str]:
    """Whether `pattern` (a regex) occurs in `text`, and the text with it blanked out (same length, so
    positions found later still point into the request as given)."""
    new, n = _rx(pattern).subn(lambda m: " " * len(m.group()), text)
    return n > 0, new


def _blank(text: str, m: re.Match[str]) -> str:
    return text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]


def parse(text: str) -> VibeQuery:
    original = " ".join(text.split())
    rest = original.lower().replace("\u2019", "'")   # "isn’t" as "isn't" (same length)
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

    # Negations before genres are read, so "no horror" is never read as asking for horror.
    before = rest
    avoid, topics, rest = _negations(rest)
    negated = [i for i, (a, b) in enumerate(zip(before, rest, strict=True)) if a != b]

    where: dict[str, int] = {}   # genre -> where it was said, to keep the text's order
    m = _rx("|".join(_words(p) for p in ROM_COM)).search(rest)
    if m:
        where |= {"Romance": m.start(), "Comedy": m.start()}
        rest = _blank(rest, m)
    # Longest phrases first, so "science fiction" is read before a shorter phrase inside it.
    phrases = sorted(((p, g) for g, ps in GENRE_WORDS.items() for p in ps), key=lambda x: -len(x[0]))
    for phrase, genre in phrases:
        m = _rx(_words(phrase)).search(rest)
        if m:
            where.setdefault(genre, m.start())
            if phrase not in STORY_GENRE_WORDS:
                _, rest = _take(_words(phrase), rest)
    genres = sorted((g for g in where if g not in avoid), key=lambda g: where[g])
    hedged = [i for m in HEDGE.finditer(rest) for i in range(m.start(), m.end())]
    _, rest = _take(HEDGE.pattern, rest)

    if len(rest) == len(original):  # blanking kept every position: the mood keeps the request's own case
        rest = "".join(o if r != " " else " " for o, r in zip(original, rest, strict=True))
    words = _rx(r"[^\w'-]+").sub(" ", rest).split()
    while words and _loose(words[0]):      # "a rom-com for a rainy sunday" -> "rainy sunday"
        words.pop(0)
    while words and _loose(words[-1]):
        words.pop()
    mood = " ".join(words)
    read_out = genres or avoid or topics or min_rt or max_rt or min_year or max_year
    if not read_out or all(FILLER.fullmatch(w.lower()) for w in words):  # a pure mood, or nothing but filler left:
        mood = _without(original, negated + hedged)      # embed the request as given, less its negations and hedges
    keywords = sorted(set().union(*(TOPICS[t].keywords for t in topics)))
    gentle = _rx("|".join(_words(t) for t in GENTLE_TONES)).search(original.lower())
    soften = tuple(g for g in TONE_SOFTENS if gentle and g not in genres and g not in avoid)
    soften_kw = (sorted(set().union(*(TOPICS[t].keywords for t in TONE_SOFTENS_TOPICS)) - set(keywords))
                 if gentle else [])
    return VibeQuery(original, mood, tuple(genres), tuple(avoid), min_rt, max_rt, min_year, max_year,
                     tuple(keywords), tuple(topics), soften, tuple(soften_kw))


def _without(original: str, negated: list[int]) -> str:
    """`original` less the characters at `negated` (its negations), when anything but filler is left; else all of it."""
    if not negated or len(original) != len(original.lower()):
        return original
    gone = set(negated)
    words = _rx(r"[^\w'-]+").sub(" ", "".join(" " if i in gone else c for i, c in enumerate(original))).split()
    while words and _loose(words[-1]):     # "funny but [no horror]", "[no horror] and a comedy"
        words.pop()
    while words and _loose(words[0]):
        words.pop(0)
    return " ".join(words) or original


def _loose(word: str) -> bool:
    return bool(FILLER.fullmatch(word.lower())) or word.lower() in ("anything", "nothing", "rather", "i'd", "just")


def describe(q: VibeQuery, genres: frozenset[str], runtime: int | None, year: int | None, *,
             keywords: frozenset[str] = frozenset()) -> str | None:
    """The constraints a film meets, for its reason: 'Science fiction, 1 h 38 min, as asked.' Avoided
    content is named only for a film whose keywords show it has none ('no gore'): a film without
    keywords may have it for all anyone knows."""
    parts: list[str] = [g for g in q.genres if g in genres]
    if (q.min_runtime or q.max_runtime) and runtime:
        parts.append(f"{runtime // 60} h {runtime % 60:02d} min" if runtime >= 60 else f"{runtime} min")
    if (q.min_year or q.max_year) and year:
        parts.append(f"from {year}")
    avoided = [g.lower() for g in q.avoid] if q.avoid and not genres & set(q.avoid) else []
    if keywords:
        avoided += [t for t in q.avoid_topics if keywords.isdisjoint(TOPICS[t].keywords)]
    if avoided:
        parts.append("no " + " or ".join(avoided))
    if not parts:
        return None
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + ", as asked."


def relaxed(q: VibeQuery, *, era: bool = True, genres: bool = True) -> VibeQuery:
    """`q` without its era (era=False) and without the genres asked for (genres=False); what to avoid stays."""
    return replace(q, genres=q.genres if genres else (), min_year=q.min_year if era else None,
                   max_year=q.max_year if era else None)


def fits(q: VibeQuery, genres: frozenset[str], runtime: int | None, year: int | None, *,
         strict_length: bool = True, keywords: frozenset[str] = frozenset()) -> bool:
    """Whether a film meets every constraint (a film of unknown length or year fails a length or era). A
    film with an avoided keyword fails; one without keywords fails where it has a genre standing in for
    an avoided topic that the text does not ask for (Horror for "not gory")."""
    if any(g not in genres for g in q.genres) or any(g in genres for g in q.avoid):
        return False
    if keywords:
        if not keywords.isdisjoint(q.avoid_keywords):
            return False
    elif any(g in genres and g not in q.genres for t in q.avoid_topics for g in TOPICS[t].bare_genres):
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
