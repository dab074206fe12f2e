"""Reading a Vibe text: genres, genres to avoid, content to avoid, length and era come out as
constraints; the mood (what is left) is what gets embedded; films are checked against the constraints."""

from __future__ import annotations

import pytest

from services.recommender.vibe_query import TOPICS, describe, fits, parse, relaxed


def test_the_seed_example():
    q = parse("slow-burn sci-fi with a twist, not too long")
    assert q.genres == ("Science Fiction",) and q.avoid == ()
    assert (q.min_runtime, q.max_runtime) == (None, 110)
    assert q.mood == "slow-burn with a twist"  # "burn" stays mood; "sci-fi" and the length are read out
    assert q.constrained


@pytest.mark.parametrize(("text", "genres", "avoid"), [
    ("a rom-com for a rainy sunday", ("Romance", "Comedy"), ()),
    ("romantic comedy", ("Romance", "Comedy"), ()),
    ("something funny, not too scary", ("Comedy",), ("Horror",)),
    ("no horror please, a heist", ("Crime",), ("Horror",)),
    ("science fiction with robots", ("Science Fiction",), ()),
    ("an animated family film", ("Animation", "Family"), ()),
    ("Star Wars vibes", (), ()),          # "wars" is not the genre "War"
    ("a 12-year-old in new york", (), ()),  # nor is "old" an era or "new" a date
])
def test_genres_and_genres_to_avoid(text, genres, avoid):
    q = parse(text)
    assert (q.genres, q.avoid) == (genres, avoid)


@pytest.mark.parametrize(("text", "length"), [
    ("not too long", (None, 110)),
    ("nothing too long, a thriller", (None, 110)),
    ("something short", (None, 100)),
    ("under 90 minutes", (None, 90)),
    ("under 2 hours, a thriller", (None, 120)),
    ("less than an hour", (None, 60)),
    ("not too short", (100, None)),
    ("a long movie for a lazy day", (140, None)),
    ("a long night in a diner", (None, None)),  # a bare "long" is mood
])
def test_lengths(text, length):
    q = parse(text)
    assert (q.min_runtime, q.max_runtime) == length


@pytest.mark.parametrize(("text", "years"), [
    ("an 80s adventure", (1980, 1989)),
    ("1990s crime", (1990, 1999)),
    ("a classic western", (None, 1975)),
    ("something recent", (2010, None)),
    ("slow, warm, rainy", (None, None)),
])
def test_eras(text, years):
    q = parse(text)
    assert (q.min_year, q.max_year) == years


def test_a_pure_mood_is_embedded_as_given():
    q = parse("  slow,   warm,\n rainy ")
    assert q.mood == "slow, warm, rainy" == q.text and not q.constrained


def test_when_only_filler_is_left_the_whole_text_is_embedded():
    assert parse("something scary").mood == "something scary"
    assert parse("a rom-com for a rainy sunday").mood == "rainy sunday"


def test_fits_checks_every_constraint():
    q = parse("slow-burn sci-fi with a twist, not too long")
    scifi = frozenset({"Science Fiction", "Thriller"})
    assert fits(q, scifi, 98, 2004)
    assert not fits(q, scifi, 130, 2004)                  # too long
    assert not fits(q, scifi, None, 2004)                 # unknown length cannot be promised
    assert fits(q, scifi, None, 2004, strict_length=False)
    assert not fits(q, frozenset({"Comedy"}), 86, 1998)   # "Burn, Hollywood, Burn" is no sci-fi
    avoid = parse("funny but no horror")
    assert fits(avoid, frozenset({"Comedy"}), 90, 2000)
    assert not fits(avoid, frozenset({"Comedy", "Horror"}), 90, 2000)
    era = parse("an 80s adventure")
    assert fits(era, frozenset({"Adventure"}), 100, 1985) and not fits(era, frozenset({"Adventure"}), 100, 1991)


def test_relaxing_keeps_what_to_avoid():
    q = parse("an 80s sci-fi, no horror, under 90 minutes")
    loose = relaxed(q, era=False, genres=False)
    assert loose.genres == () and loose.avoid == ("Horror",) and loose.min_year is None
    assert loose.max_runtime == 90  # the length is let go by fits(strict_length=False), not here


def test_reasons_name_only_what_a_film_meets():
    q = parse("slow-burn sci-fi with a twist, not too long")
    assert describe(q, frozenset({"Science Fiction", "Drama"}), 98, 2004) == "Science Fiction, 1 h 38 min, as asked."
    assert describe(q, frozenset({"Drama"}), None, 2004) is None
    assert describe(parse("funny, no horror"), frozenset({"Comedy"}), 95, 2001) == "Comedy, no horror, as asked."
    assert describe(parse("slow, warm, rainy"), frozenset({"Drama"}), 95, 2001) is None


def test_the_mood_keeps_the_requests_own_case():
    assert parse("cosy feel-good comedy for a rainy Sunday").mood == "cosy feel-good for a rainy Sunday"
    assert parse("Slow-burn Sci-Fi with a twist").genres == ("Science Fiction",)


# ------------------------------------------------------------------ negation as people write it

@pytest.mark.parametrize(("text", "genres", "avoid"), [
    ("no horror", (), ("Horror",)),
    ("not horror", (), ("Horror",)),
    ("something that isn't a comedy", (), ("Comedy",)),
    ("something that isn’t a comedy", (), ("Comedy",)),          # a typographic apostrophe
    ("a thriller that is not a comedy", ("Thriller",), ("Comedy",)),
    ("movies that aren't comedies", (), ("Comedy",)),
    ("a heist without any comedy", ("Crime",), ("Comedy",)),
    ("a mystery without comedy", ("Mystery",), ("Comedy",)),
    ("nothing with horror in it", (), ("Horror",)),
    ("nothing horror-y, something warm", (), ("Horror",)),
    ("nothing scary", (), ("Horror",)),
    ("anything but horror", (), ("Horror",)),
    ("a western minus the romance", ("Western",), ("Romance",)),
    ("something funny, not too scary", ("Comedy",), ("Horror",)),
    ("a drama, not very romantic", ("Drama",), ("Romance",)),
    ("an adventure, not overly funny", ("Adventure",), ("Comedy",)),
    ("no horror please", (), ("Horror",)),
    ("a horror-free halloween", (), ("Horror",)),
    ("skip the horror", (), ("Horror",)),
    ("avoid anything scary", (), ("Horror",)),
    ("i'd rather not watch horror", (), ("Horror",)),
    ("i don't want horror tonight", (), ("Horror",)),
    ("do not want any horror", (), ("Horror",)),
    ("funny but not scary", ("Comedy",), ("Horror",)),
    ("anything except horror", (), ("Horror",)),
    ("anything except for war films", (), ("War",)),
    ("anything other than a comedy", (), ("Comedy",)),
    ("no horror or comedy", (), ("Horror", "Comedy")),
    ("no horror and no comedy", (), ("Horror", "Comedy")),
    ("no horror, war or comedy", (), ("Horror", "War", "Comedy")),
    ("neither horror nor comedy", (), ("Horror", "Comedy")),
    ("no horror and a comedy", ("Comedy",), ("Horror",)),       # "and" with no negation asks for the comedy
    ("non-horror halloween", (), ("Horror",)),
    ("no jump scares", (), ("Horror",)),
    ("something cosy, nothing creepy", (), ("Horror",)),
    ("horror? no thanks", (), ("Horror",)),
    ("not in the mood for horror", (), ("Horror",)),
    ("not for kids", (), ("Family",)),
    ("i can't stand musicals", (), ("Music",)),
    ("a dark comedy, not a romance", ("Comedy",), ("Romance",)),
    ("no rom-coms", (), ("Romance", "Comedy")),
    ("sci-fi, no horror, no war", ("Science Fiction",), ("Horror", "War")),
])
def test_negated_genres(text, genres, avoid):
    q = parse(text)
    assert (q.genres, q.avoid) == (genres, avoid)


@pytest.mark.parametrize(("text", "genres"), [
    ("not to be missed", ()),
    ("nothing but fun", ()),
    ("nothing but horror", ("Horror",)),           # "nothing but" means only
    ("can't stop laughing", ()),
    ("no-holds-barred action", ("Action",)),
    ("not only funny but also smart", ("Comedy",)),
    ("never gets old", ()),
    ("a film about a nun", ()),
    ("the notorious gangster", ("Crime",)),
    ("nonstop action", ("Action",)),
    ("anything goes", ()),
    ("isn't it romantic", ("Romance",)),           # a title, not a negation
    ("not your typical rom-com", ("Romance", "Comedy")),
    ("without a doubt the best horror", ("Horror",)),
    ("a violent western", ("Western",)),           # content words are only read when negated
    ("something sad and slow", ()),
])
def test_what_is_not_a_negation(text, genres):
    q = parse(text)
    assert q.genres == genres and q.avoid == () and q.avoid_topics == () and q.avoid_keywords == ()


@pytest.mark.parametrize(("text", "topics"), [
    ("not gory", ("gore",)),
    ("nothing gory please", ("gore",)),
    ("no gore", ("gore",)),
    ("no blood", ("gore",)),
    ("not too violent", ("gore",)),
    ("not overly bloody", ("gore",)),
    ("comedy, no violence", ("gore",)),
    ("gore-free", ("gore",)),
    ("non-violent", ("gore",)),
    ("a nonviolent protest story", ("gore",)),
    ("a road trip minus the gore", ("gore",)),
    ("nothing sad", ("heartbreak",)),
    ("not depressing, no tearjerkers", ("heartbreak",)),
    ("heartwarming but not sad", ("heartbreak",)),
    ("no sex or nudity", ("sex",)),
    ("no explicit stuff", ("sex",)),
    ("nothing too steamy", ("sex",)),
    ("no drugs", ("drugs",)),
    ("drug-free", ("drugs",)),
    ("no gore and drugs", ("gore", "drugs")),
    ("without drugs, sex or violence", ("drugs", "sex", "gore")),
])
def test_negated_content(text, topics):
    q = parse(text)
    assert q.avoid_topics == topics and q.avoid == () and q.constrained
    assert set(q.avoid_keywords) == set().union(*(TOPICS[t].keywords for t in topics))


def test_content_keywords_are_the_catalogues_own():
    assert {"gore", "splatter", "violence", "brutality", "blood"} <= TOPICS["gore"].keywords
    assert {"sex", "nudity", "female nudity"} <= TOPICS["sex"].keywords
    assert {"drug", "drug addiction", "cocaine"} <= TOPICS["drugs"].keywords
    assert "great depression" not in TOPICS["heartbreak"].keywords   # the 1930s, not a mood
    assert all(k == k.lower() for t in TOPICS.values() for k in t.keywords)


@pytest.mark.parametrize(("text", "mood"), [
    ("not gory, a cosy mystery", "cosy"),
    ("a slow western, nothing with romance in it", "slow"),
    ("a road trip minus the gore", "road trip"),
    ("something funny, no horror", "funny"),                   # the text less its negation
    ("a thriller that is not a comedy", "thriller"),
    ("heartwarming but not sad", "heartwarming"),
    ("no horror please", "no horror please"),                  # nothing but a negation: embedded as given
])
def test_negated_words_stay_out_of_the_mood(text, mood):
    assert parse(text).mood == mood


def test_fits_rejects_avoided_keywords_and_judges_keywordless_films_by_genre():
    q = parse("not gory")
    horror, drama = frozenset({"Horror"}), frozenset({"Drama"})
    maniac = frozenset({"mannequin", "gore", "sadism", "cult favorite", "shotgun"})
    thankskilling = frozenset({"bestiality", "evil puppet", "slasher", "turkey the bird"})
    assert not fits(q, horror, 89, 1980, keywords=maniac)
    assert not fits(q, frozenset({"Comedy", "Horror"}), 70, 2009, keywords=thankskilling)
    assert not fits(q, drama, 100, 2000, keywords=frozenset({"violence", "prison"}))   # no genre needed
    assert fits(q, horror, 100, 2001, keywords=frozenset({"ghost", "haunted house"}))  # keywords decide
    assert not fits(q, horror, 85, 2016)                      # no keywords: a horror film may be gory
    assert fits(q, drama, 100, 2000)                          # no keywords, no stand-in genre
    # Asked for the genre: the keyword-less ones stay (nothing tells them apart), the gory ones go.
    slasher = parse("a horror film but not gory")
    assert slasher.genres == ("Horror",) and fits(slasher, horror, 85, 2016)
    assert not fits(slasher, horror, 89, 1980, keywords=maniac)
    # Topics with no stand-in genre let keyword-less films through.
    sober = parse("a comedy, no drugs")
    assert fits(sober, frozenset({"Comedy"}), 95, 2000)
    assert not fits(sober, frozenset({"Comedy"}), 95, 2000, keywords=frozenset({"stoner", "cocaine"}))
    assert fits(sober, frozenset({"Comedy"}), 95, 2000, keywords=frozenset({"friendship"}))


def test_relaxing_keeps_the_content_to_avoid():
    q = parse("an 80s sci-fi, no gore, under 90 minutes")
    loose = relaxed(q, era=False, genres=False)
    assert loose.avoid_topics == ("gore",) and loose.avoid_keywords == q.avoid_keywords
    assert loose.genres == () and loose.min_year is None and loose.mood == q.mood


def test_reasons_say_no_gore_only_when_the_keywords_show_it():
    q = parse("a comedy, no gore")
    comedy = frozenset({"Comedy"})
    assert describe(q, comedy, 95, 2001, keywords=frozenset({"friendship"})) == "Comedy, no gore, as asked."
    assert describe(q, comedy, 95, 2001) == "Comedy, as asked."         # no keywords: nothing to go on
    both = parse("funny, no horror or drugs")
    road_trip = frozenset({"road trip"})
    assert describe(both, comedy, 95, 2001, keywords=road_trip) == "Comedy, no horror or drugs, as asked."
    assert describe(both, comedy, 95, 2001) == "Comedy, no horror, as asked."


def test_a_gentle_tone_softens_horror_war_gore_and_sex_without_ruling_them_out():
    q = parse("cozy feel-good comedy for a rainy sunday")
    assert q.soften == ("Horror", "War") and "gore" in q.soften_keywords and "nudity" in q.soften_keywords
    assert not q.avoid and q.genres == ("Comedy",)
    assert parse("a heartwarming horror comedy").soften == ("War",)      # asked for: not softened
    assert parse("a tense heist thriller").soften == () and parse("a tense heist thriller").soften_keywords == ()


@pytest.mark.parametrize(("text", "mood", "genres"), [
    ("a tense heist thriller", "tense heist", ("Crime", "Thriller")),   # a heist, not any crime film
    ("a mafia family saga", "mafia family saga", ("Crime",)),
    ("something romantic and a little sad", "sad", ("Romance",)),       # a hedge is no mood ("The Little Rascals")
    ("a little sad", "sad", ()),
    ("a comedy, slightly dark", "dark", ("Comedy",)),
    ("stuart little", "stuart little", ()),                              # "little" on its own stays
])
def test_story_genre_words_stay_in_the_mood_and_hedges_do_not(text, mood, genres):
    q = parse(text)
    assert q.mood == mood and q.genres == genres
