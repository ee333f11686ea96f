# Shared by the run-*.sh scripts; sourced from the repository root.
JAR=lbchannel-benchmarks/target/benchmarks.jar
JAVA_FLAGS="${JAVA_FLAGS:--Xms1g -Xmx1g}"

build() {
    # -am builds lbchannel-core from this checkout, so the numbers are for the code you have.
    mvn -q -B ${MVN_ARGS:-} -pl lbchannel-benchmarks -am package -DskipTests
}

# The client on CPU 0, the server (started by the harness) on CPU 1, when there are two CPUs.
run_harness() {
    local pin=()
    if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
        pin=(taskset -c 0)
    else
        set -- --no-pin "$@"
        echo "fewer than 2 CPUs or no taskset: client and server unpinned" >&2
    fi
    "${pin[@]}" java $JAVA_FLAGS -cp "$JAR" dev.lbchannel.benchmarks.load.LoadHarness --out BENCHMARKS.md "$@"
}

# The same pinning for the scenario harness, whose backends' JVM goes to CPU 1.
run_scenarios() {
    local pin=()
    if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
        pin=(taskset -c 0)
    else
        set -- --no-pin "$@"
        echo "fewer than 2 CPUs or no taskset: client and backends unpinned" >&2
    fi
    "${pin[@]}" java $JAVA_FLAGS -Djava.awt.headless=true -cp "$JAR" \
        dev.lbchannel.benchmarks.scenario.ScenarioHarness --out BENCHMARKS.md --charts docs/benchmarks "$@"
}

run_jmh() {
    local results=lbchannel-benchmarks/target/jmh-results.txt
    java -jar "$JAR" -rf text -rff "$results" "$@"
    java -cp "$JAR" dev.lbchannel.benchmarks.JmhReport "$results" BENCHMARKS.md "$*"
}
