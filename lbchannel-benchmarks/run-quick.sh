#!/usr/bin/env bash
# Quick side-by-side run of lbchannel against grpc-java's client (about 9 minutes, build included):
# builds lbchannel-core and this module, then runs the load harness with the client JVM on CPU 0
# and the server JVM on CPU 1, and rewrites the load-harness section of BENCHMARKS.md at the
# repository root. Extra arguments go to the harness (e.g. --workloads unary:64:16 --rounds 3).
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_harness --quick "$@"
