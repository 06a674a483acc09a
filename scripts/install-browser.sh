#!/usr/bin/env bash
# Debian's Chromium and CJK fonts for the browser tests. Never downloads a browser of Playwright's own.
#
# Idempotent and silent when both are present. No `producer | grep -q` here: under pipefail, grep -q
# exits at its first match, the producer dies of SIGPIPE, and the pipeline fails at random (which used
# to send every `make test` to apt-get). The font list is captured first and matched as a whole.
set -euo pipefail

have_cjk_font() {
  local fonts count
  fonts="$(fc-list 2>/dev/null || true)"
  count="$(grep -ci 'noto.*cjk' <<<"$fonts" || true)"  # -c reads all its input: nothing to cut short
  [ "${count:-0}" -gt 0 ]
}

if [ -x /usr/bin/chromium ] && have_cjk_font; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-browser: run 'apt-get install -y chromium fonts-noto-cjk' as root" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
