"""What stands in for a backend client before the gateway's resources are open (start-up, or a test
that did not enter `gateway_resources(app)`): every method is an UNAVAILABLE error."""

from __future__ import annotations

from typing import Any

from services.gateway.errors import Unavailable


class NotOpen:
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        async def fail(*args: Any, **kwargs: Any) -> Any:
            raise Unavailable("The gateway is starting; try again shortly.")

        return fail
