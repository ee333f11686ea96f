#!/usr/bin/env bash
# Profiles the lbchannel client under load with JDK Flight Recorder (CPU samples and allocation
# samples) and prints its hot spots and allocation sites. Default workload: unary, concurrency 64,
# 16 B; pass another as the first argument (e.g. stream:16:16:100), the client as the second.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
workload="${1:-unary:64:16}"
client="${2:-lbchannel}"
out="lbchannel-benchmarks/target/profile-${client}-${workload//:/-}.jfr"
build
JAVA_FLAGS="$JAVA_FLAGS -XX:StartFlightRecording=settings=profile,filename=$out,dumponexit=true" \
    run_harness --clients "$client" --workloads "$workload" --rounds 1 --client-warmup-ms 10000 \
        --warmup-ms 2000 --measure-ms 30000 --retries 0 --no-report
java -cp "$JAR" dev.lbchannel.benchmarks.JfrHotSpots "$out" 30 | tee "${out%.jfr}.txt"
