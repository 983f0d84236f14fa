#!/usr/bin/env bash
# Public article page against nginx (issue 14, part 6): the same bytes, on this machine,
# over loopback, with wrk. Prints both request rates and the ratio (target: pbgdpl ≥ 30% of
# nginx), the page's weight (raw and gzip) and the server's memory.
#
#   bash scripts/bench-portal.sh                 # builds the release binary if needed
#   BIN=target/debug/pbgdpl SECONDS_EACH=3 bash scripts/bench-portal.sh   # short form
#
# Bounded: loopback only, SECONDS_EACH seconds per run (10 by default), 2 threads, 32 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-10}
CONNS=${CONNS:-32}
need_apt() { if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; fi; }
command -v wrk >/dev/null || need_apt wrk
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -z "${BIN:-}" ]; then
  BIN=target/release/pbgdpl
  [ -x "$BIN" ] || cargo build --release -p pbgdpl
fi
WORK=$(mktemp -d)
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
PORT=18391; NPORT=18392
PBGDPL_DEMO_PASSWORD=Bench-pass-2026 PBGDPL_LOG=warn "$BIN" --database-url "sqlite://$WORK/bench.db" serve --demo --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# The first news article of the demo.
ARTICLE=$(curl -sf "http://127.0.0.1:$PORT/tin-tuc" | grep -o 'href="/tin-tuc/[a-z0-9-]*"' | grep -v feed | head -1 | sed 's/href="//; s/"$//')
[ -n "$ARTICLE" ] || { echo "no article found"; exit 1; }
mkdir -p "$WORK/www"
curl -sf "http://127.0.0.1:$PORT$ARTICLE" -o "$WORK/www/page.html"
RAW=$(wc -c <"$WORK/www/page.html"); GZ=$(gzip -9c "$WORK/www/page.html" | wc -c)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type "text/html; charset=utf-8";
  etag on;
  server {
    listen 127.0.0.1:$NPORT;
    root $WORK/www;
    location / { try_files /page.html =404; add_header Cache-Control "public, max-age=60"; }
  }
}
CONF
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.5
rate() { wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
# Warm both.
wrk -t1 -c4 -d1s "http://127.0.0.1:$PORT$ARTICLE" >/dev/null; wrk -t1 -c4 -d1s "http://127.0.0.1:$NPORT/" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
NG=$(rate "http://127.0.0.1:$NPORT/")
PB=$(rate "http://127.0.0.1:$PORT$ARTICLE")
RSS=$(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' /proc/$PID/status)
echo "article page $ARTICLE: $RAW bytes, $GZ bytes gzip -9 (target ≤ 30 KB compressed)"
echo "nginx (same bytes from disk): $NG req/s"
echo "pbgdpl (page cache):          $PB req/s"
awk -v a="$PB" -v b="$NG" 'BEGIN { r = a / b * 100; printf "ratio: %.1f%% of nginx (target ≥ 30%%)%s\n", r, (r < 30 ? " OVER TARGET" : "") }'
echo "pbgdpl peak memory: $RSS"
