#!/usr/bin/env bash
# Creates (or replaces) the Secrets the workloads mount, in namespace $1 (default movierec-dev); the
# manifests never carry them (deploy/k8s/base/secret.template.yaml documents both).
#
#   deploy/k8s/create-secrets.sh movierec-dev
#       movierec-secrets: a fresh Ed25519 key pair for access tokens and a random internal service token
#   DATABASE_URL=... NATS_URL=... REDIS_URL=... deploy/k8s/create-secrets.sh movierec
#       also movierec-stores: the managed stores' URLs with their credentials (prod)
#
# A new key pair signs out every user (their access tokens no longer verify); KEEP=1 leaves an existing
# movierec-secrets alone. Needs openssl and kubectl (with access to the namespace).
set -euo pipefail
ns=${1:-movierec-dev}
KUBECTL=${KUBECTL:-kubectl}

if [[ "${KEEP:-0}" == 1 ]] && "$KUBECTL" -n "$ns" get secret movierec-secrets >/dev/null 2>&1; then
  echo "movierec-secrets exists in $ns; kept"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  umask 077
  openssl genpkey -algorithm ed25519 -out "$dir/jwt_ed25519.pem"
  openssl pkey -in "$dir/jwt_ed25519.pem" -pubout -out "$dir/jwt_ed25519.pub.pem"
  openssl rand -base64 32 | tr -d '\n' > "$dir/internal_token"
  "$KUBECTL" -n "$ns" create secret generic movierec-secrets \
    --from-file="$dir/jwt_ed25519.pem" --from-file="$dir/jwt_ed25519.pub.pem" --from-file="$dir/internal_token" \
    --dry-run=client -o yaml | "$KUBECTL" apply -f -
fi

if [[ -n "${DATABASE_URL:-}" || -n "${NATS_URL:-}" || -n "${REDIS_URL:-}" ]]; then
  : "${DATABASE_URL:?set all three}" "${NATS_URL:?set all three}" "${REDIS_URL:?set all three}"
  "$KUBECTL" -n "$ns" create secret generic movierec-stores \
    --from-literal=DATABASE_URL="$DATABASE_URL" --from-literal=NATS_URL="$NATS_URL" \
    --from-literal=REDIS_URL="$REDIS_URL" --dry-run=client -o yaml | "$KUBECTL" apply -f -
fi
