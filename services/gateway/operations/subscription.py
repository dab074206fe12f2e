from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.resolvers import evenings
from services.gateway.types.evening import Evening

Ctx = Info[GatewayContext, None]


@strawberry.type
class Subscription:
    @strawberry.subscription(description=(
        "Tonight, live: the evening now, then again after every join and vote (by anyone, through any gateway"
        " process: events fan out over NATS). Over WebSocket (graphql-transport-ws) with"
        " `{\"authorization\": \"Bearer <accessToken>\"}` as the connection_init payload. Ends with"
        " UNAUTHENTICATED when the access token expires (reconnect with a fresh one) and NOT_FOUND when the"
        " evening ends."))
    async def evening(
        self, info: Ctx, evening_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> AsyncGenerator[Evening, None]:
        async for evening in evenings.follow(info.context, evening_id):
            yield evening
