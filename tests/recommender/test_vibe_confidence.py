"""vibe_confidence: gibberish and filler are not answered with confident picks; real moods are."""

from __future__ import annotations

import pytest

from services.recommender import vibe_confidence as vc
from services.recommender import vibe_query
from services.recommender.offline.moods import MOODS
from services.recommender.offline.moods_external import EXTERNAL, GIBBERISH

# What a catalogue describes films with (a small one: every word in two films).
VOCABULARY = {w: 2 for w in """cozy rainy sunday tense heist little sad halloween epic whole family gritty crime
mind bending inspiring sports story space classic great songs heartwarming dog zombie apocalypse vampires time
travel dystopian future serial killer investigation courtroom spy full gadgets martial arts set new york about
nature haunted house coming age high school superhero christmas road trip period royalty biopic musician alien
invasion revenge prison escape disaster whodunit country saga submarine light anime dark twist slow burn my tax
return good""".split()}


def read(text: str, best: float = 0.5) -> vc.Reading:
    return vc.read(vibe_query.parse(text), VOCABULARY, best)


@pytest.mark.parametrize("text", ["asdfgh jkl", "blorp zindle quav", "x7qz 99kk", "qwertyuiop", "zzzzz zzz",
                                  "lorem ipsum dolor sit amet", "q9w8e7r6", "xkcd 1234 zzz"])
def test_gibberish_is_not_confident(text):
    r = read(text, best=0.46)   # as close as any gibberish text came to a film's story
    assert not r.confident and r.why == "unknown_words"
    assert r.message.startswith(vc.LOW_CONFIDENCE_MESSAGE)


@pytest.mark.parametrize("text", ["a film", "the", "movie", "???!!!", "something to watch tonight", "1234"])
def test_nothing_but_filler_is_not_confident(text):
    r = read(text)
    assert not r.confident and r.why == "no_words" and r.known_share == 0.0


def test_known_words_far_from_every_story_are_a_weak_match():
    assert read("my tax return", best=0.30).why == "weak_match"
    assert read("my tax return", best=vc.MIN_BEST_MATCH).confident


def test_a_text_that_asks_for_something_is_confident_whatever_its_words():
    # "anything but a romcom" asks to keep Romance out: read out, so confident even with unknown words
    assert read("anything but a romcom, blorp", best=0.1).confident
    assert read("a comedy", best=0.1).confident


def test_half_known_words_are_enough():
    assert read("zomibe apocalypse").confident          # a typo beside a known word
    assert not read("zomibe apocalypsse blorp").confident


def test_every_labelled_mood_words_are_known_to_the_test_vocabulary():
    for m in MOODS:
        r = read(m.text)
        assert r.confident, (m.text, r)


def test_the_shipped_gibberish_has_few_known_words():
    # words of the real catalogue would not change this: none of these is a word films are described with
    for text in GIBBERISH:
        r = read(text, best=0.46)
        assert not r.confident, (text, r)
    assert len(EXTERNAL) >= 40


def test_words_fold_case_and_accents():
    assert vc.words("Amélie's CAFÉ") == ["amelie's", "cafe"]
    assert vc.content_words("a film about the 80s and 1234") == ["80s"]
