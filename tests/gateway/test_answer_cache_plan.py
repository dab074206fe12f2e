"""Which documents the answer cache plans (services/gateway/answer_cache.py), and where their members are."""

from __future__ import annotations

from services.gateway.answer_cache import Planner, plan, storable


def test_zone_queries_are_planned_with_their_members():
    p = plan("query($u: [ID!]!) { together(userIds: $u, first: 5) { movie { id } } __typename }", None)
    assert p is not None and p.member_variables == ("u",) and p.member_ids == ()
    lit = plan('{ together(userIds: ["7", "9"], first: 5) { movie { id } } }', None)
    assert lit is not None and lit.member_ids == ("7", "9")
    assert plan("query A { forYou(first: 3) { score } } query B { me { id } }", "A") is not None
    assert plan("{ a: forYou(first: 3) { score } b: vibe(text: \"x\", first: 3) { picks { score } } }", None)


def test_anything_else_is_not():
    for doc, name in [
        ("{ me { id } forYou(first: 3) { score } }", None),          # a non-zone root field
        ("mutation { dismissMovie(movieId: \"1\") }", None),          # not a query
        ("query A { forYou(first: 3) { score } } query B { me { id } }", "B"),
        ("query A { forYou(first: 3) { score } } query B { me { id } }", None),  # which one?
        ("{ ...F } fragment F on Query { forYou(first: 3) { score } }", None),   # a root fragment
        ("{ forYou(first: 3) @include(if: true) { score } }", None),
        ("{ __typename }", None),
        ("{ together(userIds: $u) { score }", None),                  # does not parse
        ('{ together(userIds: ["1", 2]) { score } }', None),          # a member that is not a string
    ]:
        assert plan(doc, name) is None, doc
    assert plan("{ forYou(first: 1) { score } }" + " " * 10 + "{" * 3000, None) is None  # token limit


def test_the_planner_keeps_a_bounded_number_of_plans():
    planner = Planner(size=2)
    for i in range(5):
        assert planner.get(f"{{ forYou(first: {i + 1}) {{ score }} }}", None) is not None
    assert len(planner._plans) == 2


def test_only_clean_answers_are_stored():
    assert storable(200, {"data": {"forYou": []}})
    assert not storable(200, {"data": None, "errors": [{"message": "x"}]})
    assert not storable(200, {"data": {"forYou": None}, "errors": [{"message": "x"}]})
    assert not storable(400, {"data": {}})
    assert not storable(200, None)  # no answer made (a refusal before GraphQL ran)
    assert not storable(200, [{"data": {"forYou": []}}])  # a batch
