#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need to run the extension in a real VS Code
# on a machine that reaches only the npm registry and Debian packages: Debian's chromium and
# ripgrep, and code-server (VS Code's workbench and extension host) under .vscode-test/.
# Idempotent: a finished install is recognised by a marker file and costs nothing.
# See the notes on testing in a real VS Code offline for why each step is needed.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server"
CS="$DEST/node_modules/code-server"
VSC="$CS/lib/vscode"
MARKER="$DEST/.installed-$CODE_SERVER_VERSION"

step=""
say() { printf 'setup-code-server: %s\n' "$*"; }
fail() { printf 'setup-code-server: FAILED: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; if [ $rc -ne 0 ] && [ -n "$step" ]; then printf "setup-code-server: FAILED during: %s (exit %s)\n" "$step" "$rc" >&2; fi' EXIT

# npm here warns about the user config `nodedir` (kept: node-gyp needs it to find the headers
# offline), and npm 11 notes that install scripts are "not yet covered by allowScripts": the
# explicit `npm rebuild` steps below run them regardless, and each build is checked after.
# Drop both notes so real messages stand out.
quiet_npm() {
  npm --no-audit --no-fund "$@" 2> >(grep -Ev 'Unknown user config "nodedir"|not yet covered by allowScripts' >&2)
}

# --- Debian packages -------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "need Debian packages ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  step="apt-get update"
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  step="apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
RG="$(command -v rg)"

if [ -f "$MARKER" ] && [ -f "$CS/out/node/entry.js" ]; then
  say "code-server $CODE_SERVER_VERSION ready in ${DEST#"$ROOT"/}"
  step=""
  exit 0
fi

major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || fail "Node 20 or newer is needed (found $(node -v))"

start=$(date +%s)
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || printf '{ "private": true, "description": "code-server for the Log Forensics end-to-end tests" }\n' > package.json

# 1. code-server itself, without its install scripts (they download ripgrep and need krb5).
step="npm install code-server@$CODE_SERVER_VERSION"
say "installing code-server $CODE_SERVER_VERSION (scripts off) into ${DEST#"$ROOT"/}"
quiet_npm install --ignore-scripts --save-exact "code-server@$CODE_SERVER_VERSION"
# An explicit rebuild runs the native build even where npm gates install scripts.
step="npm rebuild argon2"
say "building argon2"
quiet_npm rebuild argon2
node -e "require('$DEST/node_modules/argon2')" || fail "argon2 did not build (see above)"

# 2. VS Code's own dependencies, pinned by its shrinkwrap, then its native modules.
cd "$VSC"
step="npm install in lib/vscode"
say "installing VS Code's dependencies (lib/vscode)"
quiet_npm install --omit=dev --ignore-scripts
step="npm rebuild of VS Code's native modules"
say "building spdlog, native-watchdog, node-pty"
# node-pty's build calls npx, and this machine's npmrc says yes=false.
npm_config_yes=true quiet_npm rebuild @vscode/spdlog native-watchdog @vscode/native-watchdog node-pty
for module in @vscode/spdlog node-pty; do
  node -e "require('$VSC/node_modules/$module')" || fail "$module did not build (see above)"
done

# 3. Debian's ripgrep where VS Code looks for its own, and the links the release build has.
step="ripgrep and links"
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$RG" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh

# 4. The built-in extensions' dependencies.
step="npm install in lib/vscode/extensions"
say "installing the built-in extensions' dependencies"
cd "$VSC/extensions"
# Its postinstall lists every file it trims; keep the summary only.
quiet_npm install --omit=dev | { grep -Ev '^(Removed|removed) ' || true; }

step="check"
# Keep code-server's first-run config out of the home folder.
scratch="$(mktemp -d)"
version="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" node "$CS/out/node/entry.js" --version | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -1 || true)"
rm -rf "$scratch"
case "$version" in
  "$CODE_SERVER_VERSION"*) ;;
  *) fail "code-server reports version '$version', expected $CODE_SERVER_VERSION" ;;
esac
touch "$MARKER"
step=""
say "code-server $version installed in $(( $(date +%s) - start )) s ($(du -sh "$DEST" | cut -f1))"
