#!/usr/bin/env bash
# One entry point for the whole project:
#   scripts/dev.sh run    set up everything, then run portal + assistant + action server with demo data
#   scripts/dev.sh test   set up everything, then run the whole test suite
#   scripts/dev.sh setup  only the (idempotent, incremental) setup
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.state"
mkdir -p "$STATE" "$ROOT/instance"

# pip on these machines warns about an optional local package index that may not exist.
pip_quiet() { "$@" 2>&1 | { grep -v "^WARNING: Location 'file://" || true; }; }

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# A stamp holds the hash of a step's inputs; the step is redone only when they change.
inputs_hash() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
stamp_ok() { [ -f "$STATE/$1.sha" ] && [ "$(cat "$STATE/$1.sha")" = "$2" ]; }
stamp_set() { printf '%s' "$2" > "$STATE/$1.sha"; }

find_python() {  # find_python 3.10 -> path of a working interpreter of that version
  local version="$1" candidate root
  root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  for candidate in $(ls -d "$root"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V -r) \
                   "$(command -v "python$version" 2>/dev/null || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys; assert sys.version_info[:2] == tuple(map(int, '$version'.split('.')))" 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

setup_system() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing system packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    die "missing system packages (${missing[*]}); install them with: sudo apt-get install ${missing[*]}"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts a cluster and a Redis on install; the project starts its own on free ports.
  command -v pg_ctlcluster >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | while read -r v c _; do
    pg_ctlcluster "$v" "$c" stop 2>/dev/null || true; done
  return 0
}

setup_portal_venv() {
  local py hash
  hash="$(inputs_hash pyproject.toml)"
  if [ -x .venv/bin/python ] && stamp_ok portal-venv "$hash"; then return 0; fi
  py="$(find_python 3.11)" || die "Python 3.11 not found (looked in \$(pyenv root)/versions/3.11.* and PATH)"
  say "Portal virtualenv (.venv) on $py"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  pip_quiet .venv/bin/python -m pip install -q --upgrade pip
  pip_quiet .venv/bin/python -m pip install -q -e '.[dev]'
  stamp_set portal-venv "$hash"
}

setup_rasa_venv() {
  local py hash
  hash="$(inputs_hash chatbot/requirements.txt chatbot/requirements-dev.txt)"
  if [ -x .venv-rasa/bin/rasa ] && stamp_ok rasa-venv "$hash"; then return 0; fi
  py="$(find_python 3.10)" || die "Python 3.10 not found. Rasa 3.6 needs it: install it with pyenv (pyenv install 3.10) so that \$(pyenv root)/versions/3.10.*/bin/python3.10 exists."
  say "Rasa virtualenv (.venv-rasa) on $py (Rasa 3.6 does not run on 3.11)"
  [ -x .venv-rasa/bin/python ] || "$py" -m venv .venv-rasa
  pip_quiet .venv-rasa/bin/python -m pip install -q --upgrade pip 'setuptools<70' wheel
  pip_quiet .venv-rasa/bin/python -m pip install -q -r chatbot/requirements.txt -r chatbot/requirements-dev.txt
  stamp_set rasa-venv "$hash"
}

setup_assets() {
  local hash
  hash="$(inputs_hash package.json package-lock.json)"
  if [ -d node_modules ] && [ -f portal/static/vendor/component-library.css ] && stamp_ok npm "$hash"; then
    return 0
  fi
  say "NL Design System CSS and axe-core (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  mkdir -p portal/static/vendor
  cp node_modules/@utrecht/design-tokens/dist/index.css portal/static/vendor/design-tokens.css
  cp node_modules/@utrecht/component-library-css/dist/index.css portal/static/vendor/component-library.css
  stamp_set npm "$hash"
}

setup_translations() {
  local hash
  hash="$(inputs_hash translations/*/LC_MESSAGES/messages.po)"
  if stamp_ok translations "$hash" && ls translations/*/LC_MESSAGES/messages.mo >/dev/null 2>&1; then
    return 0
  fi
  say "Compiling translations"
  .venv/bin/pybabel compile -d translations >/dev/null
  stamp_set translations "$hash"
}

train_model() {
  local hash start
  hash="$(cd chatbot && find config.yml domain data components -type f \( -name "*.yml" -o -name "*.py" \) | sort | xargs cat | sha256sum | cut -d' ' -f1)"
  if [ -f chatbot/models/assistant.tar.gz ] && stamp_ok rasa-model "$hash"; then return 0; fi
  say "Training the Rasa model (chatbot/ changed since the last training)"
  start=$(date +%s)
  (cd chatbot && RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore \
     ../.venv-rasa/bin/rasa train --domain domain \
     --fixed-model-name assistant --out models --quiet >"$STATE/rasa-train.log" 2>&1) \
    || { tail -n 40 "$STATE/rasa-train.log"; die "rasa train failed (log: $STATE/rasa-train.log)"; }
  echo $(( $(date +%s) - start )) > "$STATE/rasa-train-seconds"
  say "Model trained in $(cat "$STATE/rasa-train-seconds") s"
  stamp_set rasa-model "$hash"
}

setup() {
  setup_system
  setup_portal_venv
  setup_rasa_venv
  setup_assets
  setup_translations
  train_model
}

run_portal() {
  setup
  say "Database migrations"
  .venv/bin/flask --app portal db upgrade
  say "Starting portal, Rasa and the action server"
  exec .venv/bin/python scripts/run_local.py
}

run_prod_local() {
  setup
  say "Starting the production topology from local processes"
  exec .venv/bin/python scripts/prod_local.py
}

run_tests() {
  setup
  local reports="$STATE/test-reports" failed=0
  rm -rf "$reports"; mkdir -p "$reports"
  stage() {  # stage NAME COMMAND...: run one stage, remember a failure, go on with the others
    local name="$1"; shift
    say "Test stage: $name"
    if "$@"; then echo "stage $name: ok"; else echo "stage $name: FAILED"; failed=1; fi
  }
  export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
  stage "ruff" .venv/bin/ruff check .
  stage "rasa data validate" bash -c 'cd chatbot && PYTHONWARNINGS=ignore \
      ../.venv-rasa/bin/rasa data validate --domain domain --quiet'
  stage "rasa test stories" bash -c 'cd chatbot && PYTHONWARNINGS=ignore ../.venv-rasa/bin/rasa test core \
      --model models/assistant.tar.gz --stories tests/test_stories.yml \
      --fail-on-prediction-errors --out results --quiet'
  stage "action server unit tests" .venv-rasa/bin/python -m pytest chatbot/tests -q -p no:cacheprovider \
      --junitxml="$reports/actions.xml"
  stage "portal on SQLite (with end-to-end, browser and production-topology tests)" .venv/bin/python -m pytest -q \
      --junitxml="$reports/portal-sqlite.xml"
  stage "portal on PostgreSQL" env PORTAL_TEST_DB=postgres .venv/bin/python -m pytest -q \
      -m "not e2e and not browser and not prod" --junitxml="$reports/portal-postgres.xml"
  .venv/bin/python scripts/test_summary.py "$reports"/*.xml || failed=1
  return $failed
}

case "${1:-}" in
  run) run_portal ;;
  prod-local) run_prod_local ;;
  test) run_tests ;;
  setup) setup ;;
  *) echo "usage: scripts/dev.sh run|test|setup|prod-local" >&2; exit 2 ;;
esac
