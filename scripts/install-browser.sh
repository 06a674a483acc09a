#!/usr/bin/env bash
# Debian's Chromium and CJK fonts for the browser tests. Never downloads a browser of Playwright's own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-browser: run 'apt-get install -y chromium fonts-noto-cjk' as root" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
