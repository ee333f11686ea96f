#!/usr/bin/env bash
# Full benchmark run (about 80 minutes on this 2-CPU machine: JMH 25, the harness 55): the JMH
# suite with the GC profiler, then the load harness with 5 rounds of 10-second runs. Both
# rewrite their own section of BENCHMARKS.md at the repository root and leave any hand-written
# text there alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_jmh -prof gc
run_harness --full "$@"
