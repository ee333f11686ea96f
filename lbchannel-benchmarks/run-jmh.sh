#!/usr/bin/env bash
# The JMH benchmarks alone, with the GC profiler for B/op, into the jmh section of BENCHMARKS.md.
# Arguments go to JMH: a regex picks benchmarks (e.g. RoundRobinPick), -wi/-i/-r shorten a run.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_jmh -prof gc "$@"
