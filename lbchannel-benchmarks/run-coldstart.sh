#!/usr/bin/env bash
# Cold start side by side (issue 18, item 3; about 2 minutes after the build): builds
# lbchannel-core and this module, starts grpc-java's server in its own JVM, then runs one unary
# call in a fresh JVM per sample for lbchannel and for grpc-java's NettyChannelBuilder, alternating
# which goes first, plus one run each with -Xlog:class+load for the classes loaded by package; it
# rewrites the cold-start section of BENCHMARKS.md at the repository root. The probes are not
# pinned: a starting JVM uses every CPU (JIT and GC threads), as an application's does. Extra
# arguments go to the harness (e.g. --runs 20, --jvm-args '-XX:TieredStopAtLevel=1', --no-report).
# With --spring-boot, the two clients start inside a Spring Boot application instead (lbchannel's
# starter against Spring Boot's own gRPC client), on the module's class path as an exploded Boot
# application runs, and the Spring Boot cold-start section is rewritten.
set -euo pipefail
cd "$(dirname "$0")/.."
. lbchannel-benchmarks/common.sh
build
cp="$JAR"
for arg in "$@"; do
    if [ "$arg" = "--spring-boot" ]; then
        # Spring Boot is not in the runnable jar (provided scope): the module's own class path has it.
        mvn -q -B ${MVN_ARGS:-} -pl lbchannel-benchmarks dependency:build-classpath \
            -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile
        cp="lbchannel-benchmarks/target/classes:$(cat lbchannel-benchmarks/target/classpath.txt)"
    fi
done
java -cp "$cp" dev.lbchannel.benchmarks.fresh.ColdStartHarness --out BENCHMARKS.md --classes "$@"
