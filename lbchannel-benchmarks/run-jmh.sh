#!/usr/bin/env bash
# The JMH benchmarks alone, with the GC profiler for B/op, into the jmh section of BENCHMARKS.md.
# Arguments go to JMH: a regex picks benchmarks (e.g. RoundRobinPick), -wi/-i/-r shorten a run,
# -p fixes a parameter. The frame-reader A/B (issue 18, item 6), one captured stream:
#   lbchannel-benchmarks/run-jmh.sh 'FrameReaderBenchmark.(ours|netty)' -p stream=large -f 3
# A filtered run rewrites the generated section with its results only.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_jmh -prof gc "$@"
