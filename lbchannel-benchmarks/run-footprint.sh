#!/usr/bin/env bash
# Footprint side by side (issue 18, item 4; about 5 minutes after the build): builds lbchannel-core
# and this module, starts grpc-java's server in its own JVM, then for 1, 100 and 1,000 channels,
# idle and with one READY connection each, and for one round_robin channel with 1, 100 and 1,000
# READY connections, measures in a fresh JVM per sample the retained heap per channel or per
# connection and the threads the channels added, for lbchannel and for grpc-java's
# NettyChannelBuilder; then prints the classes whose instances grew most per connected channel
# and per connection (class-histogram diffs) and rewrites the footprint section of BENCHMARKS.md at the repository
# root. Extra arguments go to the harness (e.g. --counts 1,100,1000,3000, --runs 5, --no-report).
# The server listens on as many ports as the largest count and holds two sockets per fan-out
# connection: the harness refuses a count the file-descriptor limit (ulimit -n) cannot take.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
java -cp "$JAR" dev.lbchannel.benchmarks.fresh.FootprintHarness --out BENCHMARKS.md --histogram "$@"
