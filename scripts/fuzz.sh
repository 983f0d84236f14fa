#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the parsers that read untrusted bytes: plan
# text, DOCX plans, XLSX report imports (and evidence sniffing), report form TOML.
# FUZZ_SECONDS per target (default 20); the corpus starts from the seed plans, the shipped forms
# and documents converted from them. Exits non-zero on the first crash, leaving the input in
# fuzz/artifacts/<target>/. A longer run: FUZZ_SECONDS=600 bash scripts/fuzz.sh (docs/security.md).
# FUZZ_RUNS=N instead runs N inputs per target from a fixed seed and the checked-in seeds only:
# the same inputs every time, as scripts/test.sh does in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER=${FUZZ_SECONDS:-20}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
export RUSTC_BOOTSTRAP=1   # cargo-fuzz passes -Z flags; the machine has the stable toolchain only

C="$ROOT/fuzz/corpus"
mkdir -p "$C/plan_text" "$C/plan_docx" "$C/report_xlsx" "$C/form_toml"
cp tests/fixtures/seeds/*.txt "$C/plan_text/"
cp crates/plans/data/plans/layouts/*.txt "$C/plan_text/" 2>/dev/null || true
cp crates/reports/data/forms/*.toml "$C/form_toml/"
if [ -n "${FUZZ_RUNS:-}" ]; then
  C=$(mktemp -d)   # a fresh corpus from the checked-in seeds only, for a repeatable run
  mkdir -p "$C/plan_text" "$C/plan_docx" "$C/report_xlsx" "$C/form_toml"
  cp tests/fixtures/seeds/*.txt crates/plans/data/plans/layouts/*.txt "$C/plan_text/"
  cp crates/reports/data/forms/*.toml "$C/form_toml/"
elif command -v soffice >/dev/null 2>&1 && [ -z "$(ls -A "$C/plan_docx")" ]; then
  TMP=$(mktemp -d)
  cp tests/fixtures/seeds/lang-son-2024-coordination-council-plan.txt tests/fixtures/seeds/son-dong-2024-pbgdpl-mediation-access-plan.txt "$TMP/"
  (cd "$TMP" && soffice --headless --convert-to docx:"MS Word 2007 XML" ./*.txt >/dev/null 2>&1 || true)
  cp "$TMP"/*.docx "$C/plan_docx/" 2>/dev/null || true
  printf 'key,value\ncases_received,4\ncases_settled,3\n' > "$TMP/r.csv"
  (cd "$TMP" && soffice --headless --convert-to xlsx r.csv >/dev/null 2>&1 || true)
  cp "$TMP"/*.xlsx "$C/report_xlsx/" 2>/dev/null || true
  rm -rf "$TMP"
fi

cd fuzz
cargo fuzz build -O
if [ -n "${FUZZ_RUNS:-}" ]; then LIMIT=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}"); WHAT="$FUZZ_RUNS inputs"; else LIMIT=(-max_total_time="$SECONDS_PER"); WHAT="${SECONDS_PER}s"; fi
for t in plan_text plan_docx report_xlsx form_toml; do
  echo "== fuzz $t: $WHAT =="
  cargo fuzz run -O "$t" "$C/$t" -- "${LIMIT[@]}" -max_len=262144 -rss_limit_mb=2048 -timeout=10 2>&1 | grep -E "^(#[0-9]+ *DONE|Done|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)" || true
  if ls artifacts/"$t"/crash-* artifacts/"$t"/timeout-* artifacts/"$t"/oom-* >/dev/null 2>&1; then
    echo "fuzz $t found a failing input: fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
echo "fuzz: 4 targets, $WHAT each, no crash"
