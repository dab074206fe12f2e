"""python -m devstack up|down|status [--base DIR]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devstack.stack import WEB_DIST, Stack
from kit.config import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    parser.add_argument("cmd", choices=["up", "down", "status"])
    parser.add_argument("--base", type=Path, default=REPO_ROOT / ".local")
    args = parser.parse_args(argv)
    stack = Stack(args.base)
    if args.cmd == "up":
        started = stack.up()
        print("started: " + (", ".join(started) if started else "nothing (everything was already running)"))
        web = "" if (WEB_DIST / "index.html").exists() else "   (not built: make web)"
        print(f"  web       http://127.0.0.1:{stack.ports['gateway']}/{web}")
        print(f"  GraphQL   http://127.0.0.1:{stack.ports['gateway']}/graphql   (GraphiQL in a browser)")
        print(f"  catalog   grpc://{stack.addr('catalog')}")
        print(f"  embedder  grpc://{stack.addr('embedder')}")
        print(f"  postgres  {stack.database_url}")
        print(f"  nats      {stack.nats_url}")
        print(f"  redis     {stack.redis_url}")
        print(f"  logs      {stack.base / 'logs'}      stop with: make down")
    elif args.cmd == "down":
        stack.down()
        print("stopped")
    else:
        for name, ok in stack.status().items():
            print(f"{name:12} {'running' if ok else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
