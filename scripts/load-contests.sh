#!/usr/bin/env bash
# Online contests under load (issue 15, part 4), with the load generator `pbgdpl-load`
# (crates/loadgen). For each database (SQLite, then PostgreSQL):
#   1. a load run: simulated entrants register (one-time code read from the outbox, as their
#      mailbox), start, answer every question with think time, and submit; latency per kind of
#      request, p50/p95/p99, errors;
#   2. kill -9: a run in which the server is killed with SIGKILL in the middle and started
#      again; every acknowledged answer is then checked in the database, and the entrants resume
#      their attempts and submit;
#   3. the answer-save rate beside a bare axum handler writing the same row to the same
#      database, in the same run;
#   4. on PostgreSQL: two pbgdpl instances behind a local nginx (round robin, no sticky
#      sessions); the load run goes through nginx, and the ranking read through nginx and each
#      instance must be the same.
#
#   bash scripts/load-contests.sh                  # short form (the test suite): debug build,
#                                                  # a few hundred entrants, no latency target
#   LOAD_FULL=1 bash scripts/load-contests.sh      # full form: release build, 20,000 entrants,
#                                                  # p99 < 200 ms and 0 errors required
#   LOAD_DBS=sqlite ENTRANTS=5000 LOAD_FULL=1 bash scripts/load-contests.sh
#
# Bounded: loopback only, a request cap and a time cap per run (the generator aborts past them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DBS=${LOAD_DBS:-sqlite postgres}
if [ -n "${LOAD_FULL:-}" ]; then
  PROFILE=release
  # Think time 5–20 s per question (reading a legal question and four options on a phone); a
  # 240 s ramp puts all 20,000 entrants in their attempt at once at the peak.
  ENTRANTS=${ENTRANTS:-20000}; RAMP=${RAMP:-240}; THINK=${THINK:-5000..20000}
  KILL_ENTRANTS=${KILL_ENTRANTS:-2000}; KILL_RAMP=20; KILL_THINK=500..2000
  SAVES_ATTEMPTS=200; SAVES_SECONDS=10; P99=(--max-p99-ms 200); RATIO=(--min-ratio-pct 50); MAX_SECONDS=1200
else
  PROFILE=debug
  ENTRANTS=${ENTRANTS:-300}; RAMP=${RAMP:-5}; THINK=${THINK:-50..400}
  KILL_ENTRANTS=${KILL_ENTRANTS:-100}; KILL_RAMP=2; KILL_THINK=50..200
  SAVES_ATTEMPTS=50; SAVES_SECONDS=3; P99=(); RATIO=(); MAX_SECONDS=300
fi
MAX_REQUESTS=$((ENTRANTS * 60 + 10000))
# A phase that fails is reported and the others still run; the script fails at the end.
FAILED=0
fail() { echo "PHASE FAILED (exit $1)"; FAILED=$((FAILED + 1)); }

need_apt() {
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# LOAD_NO_BUILD=1 uses the binaries already built (e.g. to measure a build made earlier).
if [ -z "${LOAD_NO_BUILD:-}" ]; then
  if [ "$PROFILE" = release ]; then cargo build --release --quiet -p pbgdpl -p loadgen; else cargo build --quiet -p pbgdpl -p loadgen; fi
fi
BIN="$ROOT/target/$PROFILE/pbgdpl"
LOAD="$ROOT/target/$PROFILE/pbgdpl-load"

WORK=$(mktemp -d /tmp/pbgdpl-load.XXXXXX)
# nginx's workers run as another user when started by root: they must reach their temp folders.
chmod 755 "$WORK"
cleanup() {
  # nginx is stopped by its master (a SIGKILL of the master would leave its worker on the port).
  [ -f "$WORK/nginx.pid" ] && "${NGINX:-nginx}" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log" -s stop 2>/dev/null
  for f in "$WORK"/*.pid; do [ -f "$f" ] && [ "$f" != "$WORK/nginx.pid" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || true

# Writes $WORK/start-NAME.sh, which starts one instance in the background, records its pid in
# $WORK/NAME.pid and waits until it answers (the load generator runs it again after kill -9).
server_script() {
  local name=$1 url=$2 port=$3
  cat >"$WORK/start-$name.sh" <<EOF
#!/usr/bin/env bash
# After kill -9 the old process may still be exiting (and holding the port): wait for it.
if [ -f "$WORK/$name.pid" ]; then old=\$(cat "$WORK/$name.pid"); for _ in \$(seq 1 200); do grep -qs '^State:[[:space:]]*[^Z]' "/proc/\$old/status" || break; sleep 0.1; done; fi
PBGDPL_DEMO_PASSWORD=Load-pass-2026 PBGDPL_LOG=warn PBGDPL_LOGIN__IP_MAX_FAILURES=1000 \\
PBGDPL_TRUSTED_PROXIES='["127.0.0.1/32","::1/128"]' \\
  "$BIN" --database-url "$url" serve --demo --listen "127.0.0.1:$port" >>"$WORK/$name.log" 2>&1 &
echo \$! >"$WORK/$name.pid"
for _ in \$(seq 1 300); do curl -sf --noproxy '*' --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null && exit 0; sleep 0.2; done
echo "server $name did not start"; tail -20 "$WORK/$name.log"; exit 1
EOF
  bash "$WORK/start-$name.sh"
}
stop() { local name=$1; if [ -f "$WORK/$name.pid" ]; then kill -TERM "$(cat "$WORK/$name.pid")" 2>/dev/null || true; sleep 0.5; rm -f "$WORK/$name.pid"; fi; }
peak() { awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$(cat "$WORK/$1.pid")/status" 2>/dev/null || echo "?"; }
contest() { "$LOAD" setup --database-url "$1" --questions 20 | tee "$WORK/contest.json"; }
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$WORK/contest.json"; }

run_db() {
  local label=$1 url=$2 port=$3
  echo "== Contests under load on $label ($PROFILE build) =="
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  server_script "$label" "$url" "$port"
  contest "$url" >/dev/null
  local c r; c=$(field contest); r=$(field round)
  "$LOAD" run --label "$label" --base-url "http://127.0.0.1:$port" --database-url "$url" --contest "$c" --round "$r" \
    --entrants "$ENTRANTS" --ramp-s "$RAMP" --think-ms "$THINK" --max-requests "$MAX_REQUESTS" --max-seconds "$MAX_SECONDS" "${P99[@]}" || fail "$?"
  echo "server peak memory ($label): $(peak "$label")"

  echo "== kill -9 in the middle, on $label =="
  contest "$url" >/dev/null
  c=$(field contest); r=$(field round)
  "$LOAD" run --label "$label-kill" --base-url "http://127.0.0.1:$port" --database-url "$url" --contest "$c" --round "$r" \
    --entrants "$KILL_ENTRANTS" --ramp-s "$KILL_RAMP" --think-ms "$KILL_THINK" --max-requests "$MAX_REQUESTS" --max-seconds "$MAX_SECONDS" \
    --kill-after-acks $((KILL_ENTRANTS * 8)) --kill-pidfile "$WORK/$label.pid" --restart-cmd "bash $WORK/start-$label.sh" || fail "$?"

  echo "== Answer saves against a bare axum handler, on $label =="
  contest "$url" >/dev/null
  c=$(field contest); r=$(field round)
  "$LOAD" saves --base-url "http://127.0.0.1:$port" --database-url "$url" --contest "$c" --round "$r" \
    --attempts "$SAVES_ATTEMPTS" --seconds "$SAVES_SECONDS" "${RATIO[@]}" || fail "$?"
  stop "$label"
}

PG_URL=${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_BASE="${PG_URL%/*}"
for db in $DBS; do
  case $db in
    sqlite) run_db sqlite "sqlite://$WORK/load.db" 18601 ;;
    postgres)
      psql "$PG_URL" -qc "DROP DATABASE IF EXISTS pbgdpl_load" >/dev/null
      psql "$PG_URL" -qc "CREATE DATABASE pbgdpl_load" >/dev/null
      run_db postgres "$PG_BASE/pbgdpl_load" 18611

      echo "== Two instances behind nginx, on PostgreSQL =="
      # Debian's package starts a system nginx on port 80; it is stopped again (ours has its own pid).
      if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then need_apt nginx; service nginx stop >/dev/null 2>&1 || true; fi
      NGINX=$(command -v nginx || echo /usr/sbin/nginx)
      server_script pg-a "$PG_BASE/pbgdpl_load" 18612
      server_script pg-b "$PG_BASE/pbgdpl_load" 18613
      cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  upstream pbgdpl { server 127.0.0.1:18612; server 127.0.0.1:18613; keepalive 64; }
  server {
    listen 127.0.0.1:18610;
    location / {
      proxy_pass http://pbgdpl;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
CONF
      "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log"
      contest "$PG_BASE/pbgdpl_load" >/dev/null
      c=$(field contest); r=$(field round)
      "$LOAD" run --label postgres-2x --base-url "http://127.0.0.1:18610" --database-url "$PG_BASE/pbgdpl_load" --contest "$c" --round "$r" \
        --entrants "$ENTRANTS" --ramp-s "$RAMP" --think-ms "$THINK" --max-requests "$MAX_REQUESTS" --max-seconds "$MAX_SECONDS" "${P99[@]}" || fail "$?"
      # The ranking through nginx, through each instance, and from a third instance started
      # alone afterwards (what one instance would show) must be the same.
      server_script postgres "$PG_BASE/pbgdpl_load" 18611
      "$LOAD" ranking-check --urls "http://127.0.0.1:18610,http://127.0.0.1:18612,http://127.0.0.1:18613,http://127.0.0.1:18611" --round "$r" --username tinh --password Load-pass-2026 || fail "$?"
      stop postgres
      echo "peak memory: instance a $(peak pg-a), instance b $(peak pg-b)"
      "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" -e "$WORK/nginx-error.log" -s stop; rm -f "$WORK/nginx.pid"
      stop pg-a; stop pg-b
      psql "$PG_URL" -qc "DROP DATABASE IF EXISTS pbgdpl_load" >/dev/null
      ;;
    *) echo "unknown database: $db"; exit 2 ;;
  esac
done
if [ "$FAILED" -gt 0 ]; then echo "load test: $FAILED phase(s) failed"; exit 1; fi
echo "load test: every phase passed"
