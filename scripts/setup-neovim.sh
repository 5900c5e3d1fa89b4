#!/usr/bin/env bash
# Installs Neovim for the editors stage (test/editors/neovim.test.ts) from Debian's packages on a
# machine that has none. Idempotent: an installed nvim costs nothing. The test speaks the 0.7 API,
# which later versions still have, so any Debian release's neovim serves.
set -euo pipefail

say() { printf 'setup-neovim: %s\n' "$*"; }
fail() { printf 'setup-neovim: FAILED: %s\n' "$*" >&2; exit 1; }

if command -v nvim >/dev/null 2>&1; then
  say "$(nvim --version | head -1) ready at $(command -v nvim)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "need the Debian package neovim; run as root or: sudo apt-get install -y neovim"
say "installing the Debian package neovim"
DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim || fail "apt-get install neovim"
command -v nvim >/dev/null 2>&1 || fail "neovim installed but no nvim on PATH"
say "$(nvim --version | head -1) installed at $(command -v nvim)"
