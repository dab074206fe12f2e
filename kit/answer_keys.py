"""Redis keys the recommender writes and the gateway's answer cache reads (one definition for both).

- `rec:gen:<user>`: the user's generation, bumped by the recommender for every feedback event of theirs
  (services/recommender/generations.py); an answer that depends on a user carries the generation it was
  computed at, so a new rating, dismissal or partner link makes it unreachable.
- `rec:serving`: what the recommender serves, "<model version>#<load>", set whenever it loads a model
  and content index (at start, at every swap and content refresh), so the gateway's answers are keyed by
  it too. Missing (Redis restarted empty) is a value like any other: the answers cached before went with it.
"""

from __future__ import annotations

SERVING_KEY = "rec:serving"


def user_generation_key(user_id: str) -> str:
    return f"rec:gen:{user_id}"
