#!/usr/bin/env bash
# Balancing scenarios (about 7 minutes with the build; --quick: about 3): builds lbchannel-core and
# this module, then puts each load-balancing policy, on lbchannel and on grpc-java's client, through
# a slow, a degrading, a cold and a failing backend, with the client JVM on CPU 0 and the backends'
# JVM on CPU 1. Rewrites the scenario section of BENCHMARKS.md at the repository root and the charts
# in docs/benchmarks/. Extra arguments go to the harness (e.g. --scenarios slow,cold --concurrency 64).
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_scenarios "$@"
