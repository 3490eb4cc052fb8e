#!/usr/bin/env bash
# System packages the browser tests need (Debian's Chromium). Installed once; skipped when not root or offline,
# in which case the browser tests skip and say why.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: chromium not installed and cannot install it here; browser tests will skip" >&2
  exit 0
fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
  || echo "note: could not install chromium; browser tests will skip" >&2
exit 0
