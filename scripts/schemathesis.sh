#!/usr/bin/env bash
# Property-based API conformance: runs Schemathesis against a running pbgdpl server's OpenAPI
# document (GET /api/v1/openapi.json), once per demo account, and fails on any discrepancy
# between the document and the answers (server errors, undocumented status codes, content
# types or bodies, valid input refused, invalid input accepted, missing authentication).
#
#   BASE_URL=http://127.0.0.1:18181 DEMO_PASSWORD=... scripts/schemathesis.sh
#
# BASE_URL      the server (loopback only), started with `serve --demo`
# DEMO_PASSWORD the demo accounts' password (PBGDPL_DEMO_PASSWORD of that server)
# SCHEMATHESIS_USERS         demo accounts to run as, default "admin tinh xa2": a system
#                            administrator (accounts, audit log) and the provincial and a commune
#                            justice officer (after the browser journeys, xa2's report is
#                            returned, so it can be written to and submitted)
# SCHEMATHESIS_MAX_EXAMPLES  cases per operation in the fuzzing phase, default 200
# SCHEMATHESIS_SEED          default fixed, so that a failure can be reproduced
#
# The server should be started with PBGDPL_LOGIN__IP_MAX_FAILURES raised (the token endpoint
# is fed wrong passwords). Schemathesis is installed from PyPI into a venv under target/.
# Every operation is run with the account's own token, except DELETE /api/v1/tokens/{id} and
# POST /api/v1/reports/{id}/submit, which run afterwards with a token of their own, so that
# revoking cannot cut the main run short and submitting cannot lock a report before the main
# run has written to it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

: "${BASE_URL:?BASE_URL: the running server, e.g. http://127.0.0.1:18181}"
: "${DEMO_PASSWORD:?DEMO_PASSWORD: the demo accounts password}"
BASE_URL=${BASE_URL%/}
USERS=${SCHEMATHESIS_USERS:-admin tinh xa2}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-200}
SEED=${SCHEMATHESIS_SEED:-20260101}
ST_VERSION=4.32.5

# Traffic goes to this machine only.
case "$BASE_URL" in
  http://127.*|http://localhost|http://localhost:*|http://\[::1\]*) ;;
  *) echo "schemathesis: BASE_URL must be a loopback address, not $BASE_URL" >&2; exit 2 ;;
esac

VENV="$ROOT/target/test-env/schemathesis-venv"
OUT="$ROOT/target/test-env/schemathesis"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -qx "st, version $ST_VERSION"; then
  echo "schemathesis: installing $ST_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi
PY="$VENV/bin/python"
rm -rf "$OUT"; mkdir -p "$OUT"

# A bearer token for a demo account: POST /api/v1/tokens.
token() {
  local user=$1 name=$2 body
  body=$(U="$user" P="$DEMO_PASSWORD" N="$name" "$PY" -c \
    'import json, os; print(json.dumps({"username": os.environ["U"], "password": os.environ["P"], "name": os.environ["N"]}))')
  curl -sS --fail-with-body -X POST -H 'content-type: application/json' --data "$body" "$BASE_URL/api/v1/tokens" \
    | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Every check that holds for a correct API. Left out: max_response_time (a debug build on a
# shared machine), use_after_free and ensure_resource_availability (no create-then-delete
# pairs in the API), object_level_authorization (needs two sets of credentials in one run;
# the permission-matrix tests cover it).
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
CHECKS+=,response_headers_conformance,negative_data_rejection,positive_data_acceptance
CHECKS+=,missing_required_header,unsupported_method,ignored_auth

# A Schemathesis configuration for one account: the ids and codes that exist and that it may
# see (units, agencies, accounts, report forms, rounds and reports, found through the API), as
# dictionaries that each id parameter draws from half of the time, so that the runs reach the
# answers behind the 404s as well. $3 is the id of a token that the last run may revoke.
write_config() {
  local file=$1 tok=$2 victim=$3
  BASE_URL="$BASE_URL" TOKEN="$tok" VICTIM="$victim" "$PY" - "$file" <<'PY'
import json, os, sys, urllib.error, urllib.request

base, token = os.environ["BASE_URL"], os.environ["TOKEN"]

def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError:
        return None

def items(path):
    return (get(path) or {}).get("items") or []

me = get("/api/v1/me") or {}
agencies = items("/api/v1/agencies?limit=50")
units = items("/api/v1/units?limit=20") + items("/api/v1/units?limit=10&valid_on=2025-06-30")
codes = {u["code"] for u in units} | {a["unit_code"] for a in agencies if a.get("unit_code")}
accounts = {a["id"] for a in items("/api/v1/accounts?limit=50")} | ({me["id"]} if "id" in me else set())
reports = items("/api/v1/reports")
# No list of rounds: the first ids that answer, then every report of those rounds.
rounds = {r["round_id"] for r in reports}
rounds |= {i for i in range(1, 21) if get(f"/api/v1/rounds/{i}/aggregate") is not None}
for r in sorted(rounds):
    reports += items(f"/api/v1/reports?round={r}")
contests = items("/api/v1/contests?limit=50")
dicts = {
    "unit_codes": sorted(codes),
    "agency_ids": sorted(a["id"] for a in agencies),
    "account_ids": sorted(accounts),
    "form_codes": sorted({f["code"] for f in items("/api/v1/report-forms")}),
    "round_ids": sorted(rounds),
    "report_ids": sorted({r["id"] for r in reports}),
    "report_versions": sorted({r["version"] for r in reports}),
    "token_ids": [int(os.environ["VICTIM"])],
    "team_ids": sorted({t["id"] for t in items("/api/v1/mediation/teams")}),
    "article_slugs": sorted({a["slug"] for a in items("/api/v1/portal/articles?limit=50")}),
    "page_slugs": sorted({p["slug"] for p in items("/api/v1/portal/pages")}),
    "answer_ids": sorted({a["id"] for a in items("/api/v1/inquiries/answers?limit=50")}),
    "dialogue_ids": sorted({a["dialogue_id"] for a in items("/api/v1/inquiries/answers?limit=50") if a.get("dialogue_id")}),
    "draft_ids": sorted({d["id"] for d in items("/api/v1/drafts?limit=50")}),
    "contest_ids": sorted({c["id"] for c in contests}),
    "contest_round_ids": sorted({r["id"] for c in contests for r in c["rounds"]}),
}
bindings = {
    "get_unit": {"path.code": "unit_codes"},
    "list_units": {"query.parent": "unit_codes"},
    "list_agencies": {"query.unit": "unit_codes"},
    "get_agency": {"path.id": "agency_ids"},
    "get_account": {"path.id": "account_ids"},
    "list_report_forms": {"query.code": "form_codes"},
    "list_reports": {"query.round": "round_ids"},
    "get_report": {"path.id": "report_ids"},
    "put_report_values": {"path.id": "report_ids", "body.version": "report_versions"},
    "submit_report": {"path.id": "report_ids", "body.version": "report_versions"},
    "get_round_aggregate": {"path.id": "round_ids"},
    "revoke_token": {"path.id": "token_ids"},
    "create_survey_response": {},
    "create_mediation_case": {"path.id": "team_ids"},
    "get_portal_article": {"path.slug": "article_slugs"},
    "get_portal_page": {"path.slug": "page_slugs"},
    "get_inquiry_answer": {"path.id": "answer_ids"},
    "list_inquiry_answers": {"query.dialogue": "dialogue_ids"},
    "get_draft": {"path.id": "draft_ids"},
    "get_contest": {"path.id": "contest_ids"},
    "get_contest_round_winners": {"path.id": "contest_ids", "path.round": "contest_round_ids"},
    "get_contest_round_statistics": {"path.round": "contest_round_ids"},
    "create_dissemination_activity": {},
}
# Which figures a report takes depends on its form, and whether it may be submitted on the
# figures stored; which answers a survey requires depends on its questions: the handlers check
# that and answer 422, as documented, to requests that the schema alone cannot tell from valid
# ones.
semantic = {"put_report_values", "submit_report", "create_survey_response", "create_mediation_case", "create_dissemination_activity"}
accepted = ["2xx", "3xx", "401", "403", "404", "409", "429"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for name, values in dicts.items():
        if values:
            f.write(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n\n")
    for op, params in bindings.items():
        used = {k: v for k, v in params.items() if dicts[v]}
        lines = []
        if used:
            inner = ", ".join(f'"{k}" = {{ dictionary = "{v}", probability = 0.5 }}' for k, v in used.items())
            lines.append(f"parameters = {{ {inner} }}")
        if op in semantic:
            lines.append(f"checks.positive_data_acceptance.expected-statuses = {json.dumps(accepted + ['422'])}")
        if lines:
            f.write(f'[[operations]]\ninclude-operation-id = "{op}"\n' + "\n".join(lines) + "\n\n")
PY
}

# One Schemathesis run; its JSON report goes to $OUT/$label.json. One worker: with two threads,
# Hypothesis's ast.parse can fail with "AST constructor recursion depth mismatch" on
# Python 3.11 (fixed in later CPython releases), and one worker is barely slower here.
run() {
  local label=$1 tok=$2 config=$3; shift 3
  local rc=0
  # From $OUT, where Schemathesis and Hypothesis leave their caches.
  (cd "$OUT" && "$VENV/bin/st" --config-file "$config" run "$BASE_URL/api/v1/openapi.json" \
    --header "Authorization: Bearer $tok" \
    --checks "$CHECKS" \
    --phases examples,coverage,fuzzing \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --generation-database none \
    --workers 1 \
    --request-timeout 30 \
    --max-redirects 0 \
    --no-color \
    --report json,junit --report-dir "$OUT" \
    --report-json-path "$OUT/$label.json" --report-junit-path "$OUT/$label.junit.xml" \
    "$@") >"$OUT/$label.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    echo "---- schemathesis $label (exit $rc), from $OUT/$label.log ----"
    sed -n '/FAILURES\|ERRORS\|Failed\|Error/,$p' "$OUT/$label.log" | cut -c1-400 | head -n 200
  fi
  return 0
}

# Tokens first, since the token endpoint is fed wrong passwords during the runs: one for the
# main run, one for the last run, and one for the last run to revoke.
declare -A TOKENS SPARE VICTIM
for u in $USERS; do
  TOKENS[$u]=$(token "$u" "schemathesis") || { echo "schemathesis: no token for $u" >&2; exit 1; }
  SPARE[$u]=$(token "$u" "schemathesis-last")
  VICTIM[$u]=$(curl -sS --fail-with-body -H "Authorization: Bearer $(token "$u" "schemathesis-victim")" "$BASE_URL/api/v1/tokens" \
    | "$PY" -c 'import json, sys; print(max(t["id"] for t in json.load(sys.stdin)["items"] if t["name"] == "schemathesis-victim" and t["current"]))')
  write_config "$OUT/$u.toml" "${TOKENS[$u]}" "${VICTIM[$u]}"
done

# Per account, two runs: every operation but the two that end what the others test (revoking a
# token, submitting a report, which locks it), then those two with the spare token and the
# ids as they are by then.
started=$SECONDS
for u in $USERS; do
  t0=$SECONDS
  run "$u" "${TOKENS[$u]}" "$OUT/$u.toml" --exclude-operation-id revoke_token --exclude-operation-id submit_report
  write_config "$OUT/$u-last.toml" "${TOKENS[$u]}" "${VICTIM[$u]}"
  run "$u-last" "${SPARE[$u]}" "$OUT/$u-last.toml" --include-operation-id revoke_token --include-operation-id submit_report
  echo "schemathesis: $u ran in $((SECONDS - t0)) s"
done

# Summary per account (both runs added up); non-zero exit on any failure or error.
status=0
"$PY" - "$OUT" $USERS <<'PY' || status=$?
import json, sys
out, users = sys.argv[1], sys.argv[2:]
bad = False
for u in users:
    ops = cases = failures = errors = 0
    complete = True
    for label in (u, u + "-last"):
        try:
            with open(f"{out}/{label}.json", encoding="utf-8") as f:
                r = json.load(f)
        except (OSError, ValueError):
            print(f"schemathesis: {label}: no report")
            bad = True
            continue
        o = r.get("operations") or {}
        ops += o.get("tested", 0)
        tc = r.get("test_cases") or {}
        cases += tc.get("generated", 0)
        failures += tc.get("unique_failures", 0)
        errors += sum(e.get("count", 0) for e in r.get("errors") or []) + o.get("errored", 0)
        complete = complete and r.get("complete", False) and r.get("exit_code") == 0
        for g in r.get("failures") or []:
            print(f"  {label}: {g.get('title')} x{g.get('count')} in {', '.join(g.get('operations') or [])}")
    print(f"schemathesis {u}: {ops} operations, {cases} cases, {failures} failures, {errors} errors")
    bad = bad or failures or errors or not complete
sys.exit(1 if bad else 0)
PY
echo "schemathesis: done in $((SECONDS - started)) s"
exit $status
