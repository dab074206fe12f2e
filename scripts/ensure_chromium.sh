#!/usr/bin/env bash
# Debian's Chromium for the web client's end-to-end tests (playwright-core drives it; no browser is
# ever downloaded by a test tool). Installs it with apt when missing; needs root (or passwordless sudo).
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
echo "installing Debian's chromium for the browser tests (about a minute)"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "chromium not found at $CHROMIUM after the install" >&2; exit 1; }
