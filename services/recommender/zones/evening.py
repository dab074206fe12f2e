"""Tonight: an evening's Together list with its members' votes applied (users.v1.Evening).

- A no or a seen from any member takes a film off the evening's list: one person's veto is enough for a
  film two people watch together, and a film someone has seen is not the new film of the evening.
- A yes lifts a film: films everyone said yes to (the match) come first, then by how many said yes,
  then in the Together order. Each carries a reason naming who said yes (REASON_KIND_EVENING_YES).
- A film someone said yes to stays on the list even when the Together list moves on (a member joined
  or rated): it is added back after the films of the list with the same number of yes votes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from movierec.common.v1 import common_pb2 as cz
from movierec.recommender.v1 import recommender_pb2 as pb

YES, NO, SEEN = 1, 2, 3  # users.v1.EveningVote


def blocked(votes: Sequence[tuple[str, int, int]]) -> set[int]:
    """The films some member said no or seen to."""
    return {movie for _, movie, vote in votes if vote in (NO, SEEN)}


def _names(user_ids: Sequence[str], names: Mapping[str, str]) -> str:
    said = [names.get(u, "someone") for u in user_ids]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def yes_reason(yes: Sequence[str], members: Sequence[str], names: Mapping[str, str]) -> pb.Reason:
    if len(yes) == len(members):
        text = ("You both said yes: it's your match" if len(members) == 2
                else "Everyone said yes: it's your match")
    else:
        text = f"{_names(yes, names)} said yes"
    return pb.Reason(kind=pb.REASON_KIND_EVENING_YES, text=text, user_ids=list(yes), weight=1.0)


def apply_votes(items: Sequence[pb.Recommendation], votes: Sequence[tuple[str, int, int]],
                members: Sequence[str], names: Mapping[str, str], k: int) -> list[pb.Recommendation]:
    """The evening's list: `items` (the group's Together list, best first, longer than `k` by the number
    of blocked films) with `votes` (user id, movie id, vote) of `members` applied; at most `k` films."""
    member_set = set(members)
    said_yes: dict[int, list[str]] = {}
    for user, movie, vote in votes:
        if vote == YES and user in member_set:
            said_yes.setdefault(movie, []).append(user)
    out = blocked([v for v in votes if v[0] in member_set])
    listed = {it.movie_id for it in items}
    kept = [it for it in items if it.movie_id not in out]
    kept += [pb.Recommendation(movie_id=movie, zone=cz.ZONE_TOGETHER)
             for movie in said_yes if movie not in listed and movie not in out]
    order = {it.movie_id: i for i, it in enumerate(kept)}

    def rank(it: pb.Recommendation) -> tuple[int, int, int]:
        n = len(said_yes.get(it.movie_id, ()))
        return (0 if n == len(members) else 1, -n, order[it.movie_id])

    ranked = sorted(kept, key=rank)[:k]
    answer = []
    for it in ranked:
        copy = pb.Recommendation()
        copy.CopyFrom(it)
        if yes := said_yes.get(it.movie_id):
            ordered_yes = [m for m in members if m in yes]
            reasons = [yes_reason(ordered_yes, members, names), *copy.reasons]
            del copy.reasons[:]
            copy.reasons.extend(reasons)
        answer.append(copy)
    return answer
