#!/usr/bin/env bash
# The whole test suite: unit and HTTP-level tests against SQLite, the HTTP-level tests again
# against PostgreSQL, then the browser journeys in headless Chromium on both databases, and on
# SQLite Schemathesis against the API's OpenAPI document (scripts/schemathesis.sh), then the
# contests' load test in its short form (scripts/load-contests.sh) and a short fuzzing run.
# Installs and starts what is missing (PostgreSQL from Debian, Chromium, playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
WORK="$ROOT/target/test-env"
mkdir -p "$WORK"

need_apt() {
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ---------- PostgreSQL ----------
pg_ok() { psql "$1" -Atc 'SELECT 1' >/dev/null 2>&1; }
if [ -n "${TEST_PG_URL:-}" ] && pg_ok "$TEST_PG_URL"; then
  echo "PostgreSQL: using TEST_PG_URL"
elif [ -z "${PBGDPL_TEST_THROWAWAY_PG:-}" ] && pg_ok "postgres://postgres@127.0.0.1:5432/postgres"; then
  export TEST_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
  echo "PostgreSQL: using the server on 127.0.0.1:5432"
else
  echo "PostgreSQL: starting a throwaway cluster"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need_apt postgresql; fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGDIR=/tmp/pbgdpl-pgtest
  rm -rf "$PGDIR"; mkdir -p "$PGDIR"
  RUNAS=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR" 2>/dev/null || { useradd -r postgres || true; chown postgres "$PGDIR"; }; RUNAS=(runuser -u postgres --); fi
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust --locale=C.UTF-8 >/dev/null
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-c listen_addresses=127.0.0.1 -p 55432 -c unix_socket_directories=$PGDIR -c fsync=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  trap '"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true' EXIT
  export TEST_PG_URL="postgres://postgres@127.0.0.1:55432/postgres"
fi

if [ -n "${PBGDPL_TEST_ONLY_PG:-}" ]; then psql "$TEST_PG_URL" -Atc 'SELECT version()'; exit 0; fi

# ---------- document tools ----------
# The plans journey converts the DOCX export to PDF (LibreOffice Writer) and reads its text
# (poppler); the reports journey converts the XLSX export to CSV (LibreOffice Calc) to read its
# numbers back. Liberation Serif has the metrics of Times New Roman, which the official layout names.
calc_ok() { dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1; }
if ! command -v soffice >/dev/null 2>&1 || ! calc_ok || ! command -v pdftotext >/dev/null 2>&1 || [ ! -d /usr/share/fonts/truetype/liberation ]; then
  need_apt --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation
fi

# ---------- build ----------
df -Ph "$ROOT" | awk 'NR == 2 {print "disk: " $4 " free of " $2}'
cargo build --workspace --all-targets --quiet
BIN="$ROOT/target/debug/pbgdpl"

# Migrated templates, copied per test (SQLite) or used as CREATE DATABASE … TEMPLATE (PostgreSQL).
PG_BASE="${TEST_PG_URL%/*}"
# Per-test databases are named t_<random>: those of earlier runs are dropped now, and this
# run's when it ends (they would otherwise fill the server's disk, shared with other runs).
drop_test_dbs() {
  { psql "$TEST_PG_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 't\_%' OR datname IN ('pbgdpl_browser', 'pbgdpl_load')" || echo "warning: could not list the test databases to drop" >&2; } |
    xargs -r -P 4 -I{} psql "$TEST_PG_URL" -qc 'DROP DATABASE IF EXISTS "{}"' >/dev/null 2>&1 || true
}
drop_test_dbs
# The run's own exit status is kept whatever the clean-up does.
if [ -z "${PGDIR:-}" ]; then trap 'rc=$?; drop_test_dbs || true; exit $rc' EXIT; fi
psql "$TEST_PG_URL" -qc "DROP DATABASE IF EXISTS pbgdpl_template" >/dev/null
psql "$TEST_PG_URL" -qc "CREATE DATABASE pbgdpl_template" >/dev/null
"$BIN" --database-url "$PG_BASE/pbgdpl_template" migrate >/dev/null
rm -f "$WORK/template.db"*
"$BIN" --database-url "sqlite://$WORK/template.db" migrate >/dev/null
export TEST_PG_TEMPLATE=pbgdpl_template
export TEST_SQLITE_TEMPLATE="$WORK/template.db"

# ---------- Rust suites ----------
echo "== Rust tests on SQLite =="
PBGDPL_TEST_DB=sqlite cargo nextest run --workspace --no-fail-fast
echo "== Doctests =="
cargo test --doc --workspace --quiet
echo "== HTTP-level tests on PostgreSQL =="
PBGDPL_TEST_DB=postgres cargo nextest run --workspace --no-fail-fast -E "binary(http)"

# ---------- browser journeys ----------
if ! command -v chromium >/dev/null 2>&1; then need_apt chromium; fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/vnu-jar ]; then (cd tests/browser && npm ci --no-audit --no-fund --silent); fi
# With a fourth argument `api`, Schemathesis then checks the API against its OpenAPI document
# on the same server (scripts/schemathesis.sh), with the data the journeys left.
run_journeys() {
  local url=$1 label=$2 port=$3 api=${4:-}
  local log="$WORK/server-$label.log"
  PBGDPL_DEMO_PASSWORD=Demo-pass-2026 PBGDPL_LOGIN__IP_MAX_FAILURES=1000 "$BIN" --database-url "$url" serve --demo --listen "127.0.0.1:$port" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  local rc=0
  local html=""
  if [ "$label" = sqlite ]; then html="$WORK/html"; rm -rf "$html"; fi
  HTML_DIR="$html" ROUTES_JSON="$WORK/routes.json" BASE_URL="http://127.0.0.1:$port" DEMO_PASSWORD=Demo-pass-2026 DB_LABEL="$label" BROWSER_SCREENSHOTS="${BROWSER_SCREENSHOTS:-0}" node --test tests/browser/*.test.mjs || rc=$?
  if [ -n "$html" ]; then
    # Every page the journeys and the route walk saw, through the Nu HTML Checker (vnu-jar from
    # npm, on the machine's Java).
    echo "== HTML validation (vnu) of $(ls "$html" | wc -l) pages =="
    if ! command -v java >/dev/null 2>&1; then need_apt default-jre-headless; fi
    java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html --format gnu "$html" || rc=$?
  fi
  if [ "$api" = api ]; then
    echo "== Schemathesis against the API on $label =="
    BASE_URL="http://127.0.0.1:$port" DEMO_PASSWORD=Demo-pass-2026 bash scripts/schemathesis.sh || rc=$?
  fi
  kill -TERM "$pid"; wait "$pid" || true
  return $rc
}
# The page route table, for the check that walks every page at 360 px (tests/browser/walk.test.mjs).
"$BIN" routes >"$WORK/routes.json"
echo "== Browser journeys on SQLite =="
rm -f "$WORK/browser.db"*
run_journeys "sqlite://$WORK/browser.db" sqlite 18181 api
echo "== Browser journeys on PostgreSQL =="
psql "$TEST_PG_URL" -qc "DROP DATABASE IF EXISTS pbgdpl_browser" >/dev/null
psql "$TEST_PG_URL" -qc "CREATE DATABASE pbgdpl_browser" >/dev/null
run_journeys "$PG_BASE/pbgdpl_browser" postgres 18182

# ---------- contests under load ----------
# The short form of scripts/load-contests.sh (debug build, a few hundred simulated entrants on
# each database, kill -9 in the middle, the answer-save rate beside a bare axum handler, two
# instances behind nginx on PostgreSQL). LOAD_FULL=1 bash scripts/load-contests.sh is the full
# form (release build, 20,000 entrants, p99 < 200 ms).
echo "== Contests under load (short form) =="
bash scripts/load-contests.sh

# ---------- fuzzing ----------
# A short, repeatable libFuzzer run of every parser of untrusted bytes (a fixed seed and input
# count, the checked-in seeds as corpus); scripts/fuzz.sh with FUZZ_SECONDS for a longer one.
# PBGDPL_SKIP_FUZZ=1 skips it on a developer's machine.
if [ -z "${PBGDPL_SKIP_FUZZ:-}" ]; then
  echo "== Fuzzing (short, repeatable) =="
  # The sanitised fuzz build needs several GB of its own. A CI run once failed there with the
  # linker killed by SIGBUS, a full disk: when little is left, the debug build's incremental
  # caches and test executables (rebuilt by the next run) make room first.
  avail_gb() { df -Pk "$ROOT" | awk 'NR == 2 {print int($4 / 1048576)}'; }
  echo "disk: $(avail_gb) GB free"
  if [ "$(avail_gb)" -lt "${PBGDPL_FUZZ_MIN_GB:-25}" ]; then
    rm -rf "$ROOT/target/debug/incremental"
    find "$ROOT/target/debug/deps" -maxdepth 1 -type f -perm -u+x ! -name '*.so' -delete 2>/dev/null || true
    echo "disk after freeing the debug build's caches: $(avail_gb) GB free"
  fi
  FUZZ_RUNS="${FUZZ_RUNS:-3000}" bash scripts/fuzz.sh
fi
