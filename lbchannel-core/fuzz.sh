#!/usr/bin/env bash
# Fuzzes each of core's Jazzer targets for a fixed time, outside CI, and sums what they ran.
#
#   lbchannel-core/fuzz.sh [seconds-per-target] [target ...]
#
# A target is a test class with one @FuzzTest (default: all four). Coverage-increasing inputs
# land in lbchannel-core/.cifuzz-corpus/ (not committed); a finding (an assertion that failed, an
# exception, a leak report, an input over 1 s) lands in the class's Inputs directory under
# src/test/resources, where every build replays it: commit it with the fix. Needs the project
# installed once (mvn -B install -DskipTests).
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(dev.lbchannel.transport.FrameReaderFuzzTests dev.lbchannel.transport.DeframerFuzzTests
           dev.lbchannel.transport.ResponseStatusFuzzTests dev.lbchannel.resolver.dns.ServiceConfigFuzzTests)
fi

total=0
failed=0
for target in "${targets[@]}"; do
  log=$(mktemp)
  # Jazzer passes the JUnit default timeout to libFuzzer as -timeout=1: an input that runs over a
  # second is a finding. JUnit itself must not apply it to the whole fuzzing run, hence mode=disabled.
  JAZZER_FUZZ=1 mvn -B -o -q test -pl lbchannel-core -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" \
    -Djazzer.instrumentation_includes='dev.lbchannel.**:io.netty.handler.codec.http2.**:io.netty.handler.codec.compression.**' \
    -Djunit.jupiter.execution.timeout.testtemplate.method.default=1s \
    -Djunit.jupiter.execution.timeout.mode=disabled >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  runs=${runs:-0}
  total=$((total + runs))
  if [ $status -ne 0 ]; then
    failed=$((failed + 1))
    echo "FINDING  $target after $runs runs (log: $log)"
    grep -a -m5 -E 'FuzzTestFinding|expected|but was|LEAK' "$log" | sed 's/^/    /'
  else
    echo "ok       $target: $runs runs in ${seconds}s"
    rm -f "$log"
  fi
done
echo "total: $total runs, $failed target(s) with findings"
[ $failed -eq 0 ]
