from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2

from services.gateway.types.recommendation import Recommendation


@strawberry.type(description="How a Vibe text was read: what it asks for, and whether it could be answered at all.")
class VibeReading:
    confident: bool = strawberry.field(
        description="False when the text matched nothing meaningfully (gibberish, nothing but filler, or no film's"
        " story close to it): `picks` is then empty and `message` and `suggestions` say what to try."
    )
    message: str | None = strawberry.field(description="What to tell the person when not confident; else null.")
    suggestions: list[str] = strawberry.field(description="Moods to try instead (empty when confident).")
    why: str | None = strawberry.field(
        description='Why not confident: "no_words", "unknown_words" or "weak_match"; null when confident.'
    )
    known_share: float = strawberry.field(
        description="Share of the text's content words that films are described with (0-1)."
    )
    best_match: float = strawberry.field(description="The best cosine of the mood to a film's story.")
    genres: list[str] = strawberry.field(description="Genres the text asks for (every pick has them).")
    avoid_genres: list[str] = strawberry.field(description="Genres the text rules out (no pick has them).")
    avoid_topics: list[str] = strawberry.field(
        description='Content the text rules out, by its TMDb keywords: "gore", "heartbreak", "sex", "drugs".'
    )
    mood: str = strawberry.field(description="The words matched against the films' stories.")

    @classmethod
    def from_proto(cls, r: recommender_pb2.VibeReading) -> VibeReading:
        return cls(confident=r.confident, message=r.message or None, suggestions=list(r.suggestions),
                   why=r.why or None, known_share=r.known_share, best_match=r.best_match, genres=list(r.genres),
                   avoid_genres=list(r.avoid_genres), avoid_topics=list(r.avoid_topics), mood=r.mood)


@strawberry.type(description="Films for a described mood, with how the text was read.")
class VibeAnswer:
    picks: list[Recommendation]
    reading: VibeReading
