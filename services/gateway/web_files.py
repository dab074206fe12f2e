"""The web client's built files (web/dist, WEB_DIST_DIR) at `/`: hashed `/assets/*` cached as immutable,
everything else revalidated, a single-page-app fallback for client routes, gzip over 1 KiB, and the
headers that hold the client to what it does (CSP, nosniff)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from kit.logging import get_logger

log = get_logger(__name__)


# The client renders no HTML from the API and loads no third-party script (web/README.md, "Sessions"):
# this makes the browser hold it to that (inline styles: React style props and the shell's skeleton).
WEB_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class WebClientFiles(StaticFiles):
    """The web client's built files with a single-page-app fallback and cache headers.

    Vite names every file under /assets/ by its content hash, so those are cached for a year
    (`immutable`); everything else (index.html, icons) is revalidated on each load so a new
    build shows at once. A GET for a path that is no file, has no extension and is not under
    /assets/ (a client-side route such as /film/238) answers index.html; any other missing file
    stays 404, so a stale asset URL fails loudly instead of caching the app shell.
    """

    async def get_response(self, path: str, scope: Any) -> Response:
        fallback = False
        try:
            response = await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
                raise
            response = await super().get_response("index.html", scope)
            fallback = True
        if response.status_code in (200, 304):
            immutable = path.startswith("assets/") and not fallback
            response.headers["cache-control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        response.headers["content-security-policy"] = WEB_CSP
        response.headers["x-content-type-options"] = "nosniff"
        return response


def mount_web_client(app: FastAPI, dist_dir: Path | None) -> bool:
    """Serve the web client's built files at / if `dist_dir` exists (gzip for responses over 1 KiB).
    Mount last: `/` matches every path the API routes did not. Returns whether it mounted."""
    if dist_dir is None or not Path(dist_dir).is_dir():
        return False
    files = GZipMiddleware(WebClientFiles(directory=Path(dist_dir), html=True), minimum_size=1024)
    app.mount("/", files, name="web")
    log.info("web_client_mounted", dir=str(dist_dir))
    return True
