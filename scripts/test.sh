#!/usr/bin/env bash
# Sets up (installs what is missing, builds) and runs every Fuse test:
# the lit suite and the gtest unit tests. Ends with one summary line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUSE_BUILD_DIR:-$root/build}"

bash "$root/scripts/setup.sh" || { echo "error: setup failed" >&2; exit 1; }

log="$build/test-results"
mkdir -p "$log"

echo "== lit"
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output "$log/lit.xml" "$build/test" \
  2>&1 | tee "$log/lit.log" | grep -vE '^(PASS|UNSUPPORTED|XFAIL):' || true
lit_rc=${PIPESTATUS[0]}

echo "== unit tests"
(cd "$build" && ctest --output-on-failure --timeout 300 2>&1) | tee "$log/ctest.log" | tail -n 15
ctest_rc=${PIPESTATUS[0]}

read -r lit_pass lit_fail < <(/usr/bin/python3 - "$log/lit.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1); sys.exit()
cases = root.iter("testcase")
passed = failed = 0
for c in cases:
    if c.find("failure") is not None or c.find("error") is not None:
        failed += 1
    elif c.find("skipped") is None:
        passed += 1
print(passed, failed)
PY
)
ct_pass=$(grep -oE '[0-9]+ tests? failed out of [0-9]+' "$log/ctest.log" | \
  awk '{print $6 - $1}' | tail -n 1)
ct_fail=$(grep -oE '[0-9]+ tests? failed out of' "$log/ctest.log" | \
  awk '{print $1}' | tail -n 1)
ct_pass=${ct_pass:-0}; ct_fail=${ct_fail:-0}
[ "$ctest_rc" -eq 0 ] || [ "$ct_fail" -gt 0 ] || ct_fail=1
[ "$lit_rc" -eq 0 ] || [ "$lit_fail" -gt 0 ] || lit_fail=1

passed=$((lit_pass + ct_pass)); failed=$((lit_fail + ct_fail))
echo "lit: $lit_pass passed, $lit_fail failed; unit: $ct_pass passed, $ct_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
