#!/usr/bin/env bash
# Idempotent set-up of everything the product needs on a fresh machine (called by `make setup`).
#
# Two virtual environments, kept in a cache folder keyed by the lock file's hash so that a clean clone
# (CI) reuses them instead of reinstalling Rasa (minutes, GBs):
#   .venv-rasa -> Rasa Open Source 3.6.21 engine on Python 3.10 (Rasa declares <3.11)
#   .venv-app  -> the project's own code on Python 3.11: actions (rasa-sdk), bot, tests
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${BROBYGGER_CACHE:-$HOME/.cache/brobygger}"
mkdir -p "$CACHE" var models

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- system packages (Debian) -------------------------------------------------------------------
APT_PACKAGES=(python3-venv chromium fonts-noto-core)  # chromium: browser tests of the web admin (Playwright drives it)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- interpreters -------------------------------------------------------------------------------
version_ok() { "$1" -c "import sys; sys.exit(0 if sys.version_info[:2] == ($2) else 1)" >/dev/null 2>&1; }
find_python() {  # $1 = "3.10" ; prints a real interpreter (pyenv shims refuse, so look behind them)
  local want="$1" roots=() c
  command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
  roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
  for r in "${roots[@]}"; do
    for c in "$r"/versions/"$want".*/bin/python"$want"; do
      [ -x "$c" ] && version_ok "$c" "${want/./, }" && { echo "$c"; return 0; }
    done
  done
  for c in /usr/bin/python"$want" /usr/local/bin/python"$want" "$(command -v python"$want" 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && version_ok "$c" "${want/./, }" && { echo "$c"; return 0; }
  done
  return 1
}

PY311="$(find_python 3.11 || true)"
[ -n "$PY311" ] || { command -v python3 >/dev/null && version_ok python3 "3, 11" && PY311="$(command -v python3)"; }
[ -n "$PY311" ] || { echo "Python 3.11 is required for the project's code" >&2; exit 1; }

# --- virtual environments -------------------------------------------------------------------------
make_venv() {  # name python installer lockfile...
  local name="$1" python="$2" installer="$3"; shift 3
  local key dir
  key="$(cat "$@" | sha256sum | cut -c1-12)"   # the lock files decide the contents
  dir="$CACHE/venv-$name-$key"
  if [ ! -f "$dir/.complete" ]; then
    log "creating $name environment in $dir (first time only)"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$installer" "$dir" "$@"
    touch "$dir/.complete"
  fi
  ln -sfn "$dir" ".venv-$name"
}

install_rasa() {  # dir lockfile
  # the lock is a complete, known-good set: install it as is
  "$1/bin/pip" install -q --no-deps ${RASA_IGNORE_PY:+--ignore-requires-python} -r "$2"
}
install_app() {  # dir app.lock nodeps.lock
  "$1/bin/pip" install -q --no-deps -r "$2"
  # rasa-sdk 3.6.2 matches the Rasa 3.6 server; it declares <3.11 but runs on 3.11 (tested)
  "$1/bin/pip" install -q --no-deps --ignore-requires-python -r "$3"
}

PY310="$(find_python 3.10 || true)"
if [ -n "$PY310" ]; then
  make_venv rasa "$PY310" install_rasa requirements/rasa.lock
else
  # fallback where no 3.10 exists: the known-good 3.11 set (see requirements/README.md)
  log "no Python 3.10 found: installing Rasa on Python 3.11 with the 3.11 lock"
  export RASA_IGNORE_PY=1
  make_venv rasa "$PY311" install_rasa requirements/rasa-py311.lock
fi
make_venv app "$PY311" install_app requirements/app.lock requirements/app-nodeps.lock

# --- configuration and catalogs -------------------------------------------------------------------
[ -f credentials.yml ] || cp credentials.template.yml credentials.yml
[ -f .env ] || cp .env.template .env
grep -q '^PSEUDONYM_KEY=.' .env || echo "PSEUDONYM_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .env
grep -q '^ADMIN_SECRET_KEY=.' .env || echo "ADMIN_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .env
# a stable token for Rasa's HTTP API, so a second terminal (`python -m bot chat`) reaches the Rasa that `make run` started
grep -q '^RASA_TOKEN=.' .env || echo "RASA_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> .env
.venv-app/bin/pybabel compile -d locales -D messages > /dev/null
PYTHONPATH="$PWD" .venv-app/bin/python -c "from bot.config import Settings; from common.db import migrate; migrate(Settings.from_env().database_url)"
log "ready: .venv-rasa ($(.venv-rasa/bin/python -V)), .venv-app ($(.venv-app/bin/python -V))"
