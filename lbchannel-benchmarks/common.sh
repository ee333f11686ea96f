# Shared by the run-*.sh scripts; sourced from the repository root.
JAR=lbchannel-benchmarks/target/benchmarks.jar
JAVA_FLAGS="${JAVA_FLAGS:--Xms1g -Xmx1g}"

build() {
    # -am builds lbchannel-core from this checkout, so the numbers are for the code you have.
    mvn -q -B ${MVN_ARGS:-} -pl lbchannel-benchmarks -am package -DskipTests
}

# Runs a harness main class with the client on CPU 0 and the server it starts on CPU 1 when there
# are two CPUs; otherwise both unpinned (--no-pin tells the harness).
run_pinned() {
    local main=$1
    shift
    local pin=()
    if command -v taskset >/dev/null && [ "$(nproc --all)" -ge 2 ]; then
        pin=(taskset -c 0)
    else
        set -- --no-pin "$@"
        echo "fewer than 2 CPUs or no taskset: client and server unpinned" >&2
    fi
    "${pin[@]}" java $JAVA_FLAGS -Djava.awt.headless=true -cp "$JAR" "$main" "$@"
}

run_harness() {
    run_pinned dev.lbchannel.benchmarks.load.LoadHarness --out BENCHMARKS.md "$@"
}

# The scenario harness: its section of BENCHMARKS.md and its charts in docs/benchmarks/.
run_scenarios() {
    run_pinned dev.lbchannel.benchmarks.scenario.ScenarioHarness --out BENCHMARKS.md --charts docs/benchmarks "$@"
}

run_jmh() {
    local results=lbchannel-benchmarks/target/jmh-results.txt
    java -jar "$JAR" -rf text -rff "$results" "$@"
    java -cp "$JAR" dev.lbchannel.benchmarks.JmhReport "$results" BENCHMARKS.md "$*"
}
