#!/usr/bin/env bash
# The clients' own ceilings (about 4 minutes, build included): the load harness as run-quick.sh
# runs it, but against CannedServer, a server far cheaper per call than either client, so that
# throughput follows the client's cost per call rather than the server's one core. Four workloads:
# the throughput and latency targets' (unary at concurrency 16 and 64, server streaming, bidi);
# four clients: each library with directExecutor() and with its default executor. Rewrites the
# load-harness-canned section of BENCHMARKS.md. Extra arguments go to the harness.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
run_harness --quick --server canned \
    --workloads unary:16:16,unary:64:16,stream:16:16:100,bidi:16:16:100 \
    --clients lbchannel,lbchannel-default,grpc-java,grpc-java-direct "$@"
