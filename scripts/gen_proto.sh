#!/usr/bin/env bash
# Regenerates the Python code (messages, gRPC stubs, .pyi type stubs from mypy-protobuf) for every .proto under proto/
# into gen/python (ignored by git). `make proto` runs it; `make install` runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
out=gen/python
rm -rf "$out" && mkdir -p "$out"
mapfile -t protos < <(cd proto && find movierec -name '*.proto' | sort)
# The .pyi stubs come from mypy-protobuf (protoc-gen-mypy and protoc-gen-mypy_grpc beside $PY, from the
# dev extra): typed enum values (Zone.ValueType), HasField literals and typed gRPC stubs, what mypy in
# make test checks against. An image's tools env has no mypy-protobuf and needs no stubs: none there.
bin=$(cd "$(dirname "$PY")" && pwd)
stubs=()
if [[ -x "$bin/protoc-gen-mypy" && -x "$bin/protoc-gen-mypy_grpc" ]]; then
  stubs=(--plugin=protoc-gen-mypy="$bin/protoc-gen-mypy" --plugin=protoc-gen-mypy_grpc="$bin/protoc-gen-mypy_grpc"
         --mypy_out=quiet:"../$out" --mypy_grpc_out=quiet:"../$out")
fi
(cd proto && "../$PY" -m grpc_tools.protoc -I. \
  --python_out="../$out" --grpc_python_out="../$out" "${stubs[@]}" "${protos[@]}")
# Make every generated directory a regular package so imports are explicit.
find "$out/movierec" -type d -exec touch {}/__init__.py \;
echo "generated $(find "$out" -name '*_pb2.py' | wc -l) modules into $out"
