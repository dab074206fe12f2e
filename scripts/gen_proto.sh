#!/usr/bin/env bash
# Regenerates the Python code (messages, gRPC stubs, .pyi type stubs) for every .proto under proto/
# into gen/python (ignored by git). `make proto` runs it; `make install` runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
out=gen/python
rm -rf "$out" && mkdir -p "$out"
mapfile -t protos < <(cd proto && find movierec -name '*.proto' | sort)
(cd proto && "../$PY" -m grpc_tools.protoc -I. \
  --python_out="../$out" --pyi_out="../$out" --grpc_python_out="../$out" "${protos[@]}")
# Make every generated directory a regular package so imports are explicit.
find "$out/movierec" -type d -exec touch {}/__init__.py \;
echo "generated $(find "$out" -name '*_pb2.py' | wc -l) modules into $out"
