"""Together with a mood without a stack: the mood's films as arrays over the content index, the zone's
answer (only the mood's films, the group's and the mood's reasons, the reading; none when the mood
cannot be read) on the small synthetic catalogue, and the servicer's check and answer-cache key."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from movierec.recommender.v1 import recommender_pb2 as pb

from kit import auth, limits
from kit.errors import InvalidArgument
from services.recommender import vibe_confidence, vibe_query
from services.recommender.films import Film, Films
from services.recommender.servicer import RecommenderServicer
from services.recommender.serving import ModelState
from services.recommender.tastes import Taste
from services.recommender.zones import mood, together
from services.recommender.zones.common import ZoneContext, quality_adjusted
from tests.recommender.test_recommender_foryou import catalogue, fitted


def films_of(content) -> Films:
    films = Films()
    for i, mid in enumerate(content.movie_ids):
        films.put(Film(id=int(mid), title=f"Film {mid}", year=2000, genres=frozenset(content.genres[i]),
                       keywords=frozenset({"gore"} if mid % 5 == 0 else set()), directors=(), cast=(),
                       companies=frozenset(), vote_average=7.0, vote_count=500, popularity_percentile=50.0))
    return films


def matched(text: str, scores: dict[int, float], confident: bool = True) -> mood.MoodMatch:
    reading = vibe_confidence.Reading(confident, 1.0 if confident else 0.0, max(scores.values(), default=0.0),
                                      "" if confident else "unknown_words")
    return mood.MoodMatch(vibe_query.parse(text), np.zeros(8, np.float32), scores, reading)


def test_the_mood_s_films_as_arrays_over_the_content_index():
    content = catalogue()
    films = films_of(content)
    m = matched("a scary movie", {3: 0.6, 6: 0.5, 999: 0.9})   # 999: not in the content index
    allowed, bonus = mood.over_content(content, films, m, {}, 2.0)
    assert {int(content.movie_ids[i]) for i in np.flatnonzero(allowed)} == {3, 6}
    i3 = content.index_of(3)
    assert bonus[i3] == pytest.approx(2.0 * quality_adjusted(films, films[3], 0.6))
    assert np.count_nonzero(bonus) == 2
    best, _ = mood.over_content(content, films, m, {}, 2.0, best=1)   # only the best by mood score
    assert [int(content.movie_ids[i]) for i in np.flatnonzero(best)] == [3]


def test_a_gentle_tone_softens_horror_and_gore():
    q = vibe_query.parse("something cozy")
    films = films_of(catalogue())
    horror = next(f for f in films.by_id.values() if f.genres == {"Horror"} and not f.keywords)
    gory = next(f for f in films.by_id.values() if f.genres == {"Comedy"} and f.keywords)
    plain = next(f for f in films.by_id.values() if f.genres == {"Comedy"} and not f.keywords)
    assert mood.tone_penalty(q, horror) == mood.tone_penalty(q, gory) == mood.TONE_PENALTY
    assert mood.tone_penalty(q, plain) == 0.0
    assert mood.score(films, q, plain, 0.5, None) - mood.score(films, q, horror, 0.5, None) == pytest.approx(
        mood.TONE_PENALTY + quality_adjusted(films, plain, 0) - quality_adjusted(films, horror, 0))


def tastes() -> tuple[Taste, Taste]:
    a = Taste("a", "ana", {1: 5.0, 2: 5.0, 3: 4.5, 4: 5.0, 5: 4.0}, frozenset({1, 2, 3, 4, 5}), frozenset(),
              frozenset({"b"}))
    b = Taste("b", "bo", {21: 5.0, 22: 5.0, 23: 4.5, 24: 5.0, 25: 4.0}, frozenset({21, 22, 23, 24, 25}),
              frozenset(), frozenset({"a"}))
    return a, b


def zone_ctx():
    content = catalogue()
    st = ModelState(model=fitted(), content=content, version="t")
    return ZoneContext(None, films_of(content), lambda: st, None)  # type: ignore[arg-type]


async def test_together_with_a_mood_picks_only_its_films_and_says_both_reasons(monkeypatch):
    ctx = zone_ctx()
    a, b = tastes()
    horror = {int(m): 0.5 + 0.01 * (m % 7) for m in ctx.state().content.movie_ids
              if ctx.films[int(m)].genres == {"Horror"}}
    m = matched("a scary movie for halloween", horror)
    assert m.query.genres == ("Horror",)

    async def fake_match(ctx_, text, k, exclude):  # noqa: ANN001, ANN202
        assert text == "a scary movie for halloween" and exclude == a.seen | b.seen
        return m

    monkeypatch.setattr(mood, "match", fake_match)
    answer = await together.together(ctx, a, [a, b], 5, "a scary movie for halloween")
    assert isinstance(answer, pb.RecommendationList)
    assert answer.vibe_reading.confident and list(answer.vibe_reading.genres) == ["Horror"]
    assert len(answer.items) == 5
    plain = await together.together(ctx, a, [a, b], 5)
    assert [r.movie_id for r in answer.items] != [r.movie_id for r in plain]
    for r in answer.items:
        assert r.movie_id in horror and r.movie_id not in a.seen | b.seen
        kinds = [x.kind for x in r.reasons]
        assert kinds[0] in (pb.REASON_KIND_FITS_EVERYONE, pb.REASON_KIND_MAINLY_FOR)   # the group's reason first
        texts = [x.text for x in r.reasons]
        assert "Its story matches “halloween”." in texts and "Horror, as asked." in texts
        assert [f.user_id for f in r.fits] == ["a", "b"]


async def test_together_with_a_mood_it_cannot_read_has_the_reading_and_no_picks(monkeypatch):
    ctx = zone_ctx()
    a, b = tastes()

    async def fake_match(ctx_, text, k, exclude):  # noqa: ANN001, ANN202
        return matched("blorp zindle", {1: 0.1}, confident=False)

    monkeypatch.setattr(mood, "match", fake_match)
    answer = await together.together(ctx, a, [a, b], 5, "blorp zindle")
    assert isinstance(answer, pb.RecommendationList) and not answer.items
    assert not answer.vibe_reading.confident and answer.vibe_reading.suggestions


class Recorder:
    """Stand-in zones, tastes and answer cache: the answer keys asked for and the moods handed on."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.moods: list[str | None] = []

    async def of(self, users):  # noqa: ANN001, ANN201
        return [1] * len(users)

    async def get(self, user_id, generation):  # noqa: ANN001, ANN201
        return SimpleNamespace(user_id=user_id, partners=frozenset({"p"}))

    async def get_answer(self, key):  # noqa: ANN001, ANN201
        self.keys.append(key)

    async def put_answer(self, key, value):  # noqa: ANN001, ANN201
        pass

    async def together(self, caller, members, k, vibe=None):  # noqa: ANN001, ANN201
        self.moods.append(vibe)
        return []


async def test_the_servicer_checks_the_mood_as_vibe_does_and_keys_the_answer_by_it():
    rec = Recorder()
    servicer = RecommenderServicer(rec, rec, rec, lambda: SimpleNamespace(version="t"))  # type: ignore[arg-type]
    caller = SimpleNamespace(invocation_metadata=lambda: [(auth.MD_USER_ID, "u")])
    for vibe in ("  A Tense   Heist ", "a tense heist", "", "  \n "):
        await servicer.Together(pb.TogetherRequest(user_ids=["p"], vibe=vibe), caller)
    assert rec.moods == ["A Tense Heist", "a tense heist", None, None]
    assert rec.keys[0] == rec.keys[1] != rec.keys[2] == rec.keys[3]
    with pytest.raises(InvalidArgument):
        await servicer.Together(pb.TogetherRequest(user_ids=["p"], vibe="x" * (limits.VIBE_TEXT_MAX_CHARS + 1)),
                                caller)
    await servicer.Together(pb.TogetherRequest(user_ids=["p"], vibe=" x" * (limits.VIBE_TEXT_MAX_CHARS // 2)),
                            caller)   # 500 after trimming
