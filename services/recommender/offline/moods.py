"""A labelled set of mood requests for Vibe, written by hand: what each asks for (a pick is relevant when
it has one of `genres` or one of `keywords`, TMDb's names) and what it rules out (a pick must have none of
`exclude`). Split once, fixed: TUNE to choose weights and thresholds on, REPORT only to measure
(`make eval`, `zone_quality.vibe_labelled`). The labels are judgement, not ground truth: a film
outside the stated genres can still fit a mood; precision here is a floor on what a person would accept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mood:
    text: str
    genres: tuple[str, ...] = ()       # a pick with any of these is relevant
    keywords: tuple[str, ...] = ()     # ... or with any of these TMDb keywords
    exclude: tuple[str, ...] = ()      # a pick with any of these genres breaks the request


MOODS: tuple[Mood, ...] = (
    Mood("slow-burn sci-fi with a twist, not too long", ("Science Fiction",)),
    Mood("cozy feel-good comedy for a rainy sunday", ("Comedy",), exclude=("Horror",)),
    Mood("a tense heist thriller", ("Crime", "Thriller"), ("heist", "robbery", "bank robbery")),
    Mood("something romantic and a little sad", ("Romance",)),
    Mood("a scary movie for halloween", ("Horror",), ("halloween",)),
    Mood("epic fantasy adventure", ("Fantasy",)),
    Mood("a funny animated film for the whole family", ("Animation",), exclude=("Horror",)),
    Mood("gritty 70s crime drama", ("Crime",)),
    Mood("a mind-bending mystery", ("Mystery", "Thriller", "Science Fiction")),
    Mood("an inspiring sports story", (), ("sport", "sports", "baseball", "boxing", "american football",
                                           "basketball", "football (soccer)", "competition")),
    Mood("funny, no horror", ("Comedy",), exclude=("Horror",)),
    Mood("a thriller that isn't a horror film", ("Thriller",), exclude=("Horror",)),
    Mood("space adventure without any romance", ("Science Fiction", "Adventure"), ("space", "spaceship",
                                                                                  "outer space"),
         exclude=("Romance",)),
    Mood("a war film", ("War",)),
    Mood("a classic western", ("Western",)),
    Mood("a musical with great songs", ("Music",), ("musical",)),
    Mood("a heartwarming dog movie", (), ("dog",)),
    Mood("a zombie apocalypse", (), ("zombie", "zombies", "post-apocalyptic")),
    Mood("vampires", (), ("vampire", "vampires")),
    Mood("a time travel story", (), ("time travel",)),
    Mood("a dystopian future", ("Science Fiction",), ("dystopia", "post-apocalyptic", "future")),
    Mood("a serial killer investigation", ("Crime", "Thriller"), ("serial killer", "detective", "investigation")),
    Mood("a courtroom drama", ("Drama",), ("court", "courtroom", "lawyer", "trial")),
    Mood("a spy movie full of gadgets", ("Action", "Thriller"), ("spy", "secret agent", "cia", "espionage")),
    Mood("a martial arts action film", ("Action",), ("martial arts", "kung fu")),
    Mood("a romantic comedy set in new york", ("Romance", "Comedy"), ("new york", "new york city")),
    Mood("a documentary about nature", ("Documentary",)),
    Mood("a haunted house story", ("Horror",), ("haunted house", "ghost", "supernatural")),
    Mood("a coming-of-age story about high school", ("Drama", "Comedy"), ("high school", "coming of age",
                                                                         "teenager")),
    Mood("a superhero movie", ("Action", "Science Fiction"), ("superhero", "marvel comic", "dc comics")),
    Mood("a christmas movie for the family", ("Family", "Comedy"), ("christmas",), exclude=("Horror",)),
    Mood("a road trip comedy", ("Comedy",), ("road trip", "road movie")),
    Mood("a period drama about royalty", ("History", "Drama"), ("queen", "king", "royalty", "monarchy")),
    Mood("a biopic about a musician", ("Music",), ("biography", "musician", "singer")),
    Mood("an alien invasion", ("Science Fiction",), ("alien", "alien invasion", "extraterrestrial")),
    Mood("a revenge thriller", ("Thriller", "Action", "Crime"), ("revenge",)),
    Mood("a prison escape", ("Drama", "Crime"), ("prison", "prison escape", "escape")),
    Mood("a disaster movie", ("Action", "Thriller"), ("disaster", "natural disaster", "earthquake")),
    Mood("a whodunit in a country house", ("Mystery",), ("murder", "detective")),
    Mood("a mafia family saga", ("Crime", "Drama"), ("mafia", "gangster", "organized crime")),
    Mood("a submarine thriller", ("Thriller", "War", "Action"), ("submarine",)),
    Mood("a light romance, nothing with horror in it", ("Romance",), exclude=("Horror",)),
    Mood("an anime adventure", ("Animation",), ("anime",)),
    Mood("a dark comedy, not a romance", ("Comedy",), exclude=("Romance",)),
)
TUNE = MOODS[0::2]
REPORT = MOODS[1::2]
