"""GraphQL gateway: a thin GraphQL edge over the gRPC services, with a Redis read cache.

Entry points:
  * `services.gateway.app.create_app(settings)` builds the FastAPI app (its lifespan opens the
    gRPC channels, Redis and NATS, after loading the auth secrets from SECRETS_DIR);
  * `services.gateway.resources.gateway_resources(app)` opens and closes those resources explicitly,
    for in-process tests that drive the app through `httpx.ASGITransport` (which runs no lifespan);
  * `python -m services.gateway` serves it; `python -m services.gateway schema` prints the SDL.
"""
