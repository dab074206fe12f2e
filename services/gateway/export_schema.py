"""Print the gateway's GraphQL SDL (for the web client's code generation).

python -m services.gateway.export_schema [-o schema.graphql]
python -m services.gateway schema [-o schema.graphql]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.gateway.schema import build_schema


def sdl() -> str:
    return build_schema().as_str() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.gateway.export_schema", description=__doc__)
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    args = parser.parse_args(argv)
    text = sdl()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
