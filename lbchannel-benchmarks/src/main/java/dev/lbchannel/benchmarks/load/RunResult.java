package dev.lbchannel.benchmarks.load;

import org.jspecify.annotations.Nullable;

/**
 * What one measured run of one client on one workload gave. Operations are unary calls, or
 * messages received for a server-streaming or bidi workload; latency is per call either way.
 *
 * @param othersCores CPU that processes other than the client and the server used during the
 *     run, in cores (0.25 = a quarter of one core), or -1 where {@code /proc} is missing
 * @param disturbed whether {@code othersCores} was over the harness's threshold
 * @param attempts how many times the run was measured before this result was kept
 * @param error the first call failure, if any call failed
 */
record RunResult(ClientKind client, Workload workload, int round, double opsPerSecond,
        double p50Micros, double p99Micros, double p999Micros, double clientCpuMicrosPerOp,
        double clientBytesPerOp, double clientWakeupsPerOp, double serverCpuMicrosPerOp, double othersCores,
        boolean disturbed,
        int attempts, @Nullable String error) {

    RunResult withAttempts(int count) {
        return new RunResult(client, workload, round, opsPerSecond, p50Micros, p99Micros, p999Micros,
                clientCpuMicrosPerOp, clientBytesPerOp, clientWakeupsPerOp, serverCpuMicrosPerOp, othersCores,
                disturbed, count, error);
    }

    /** One line for the console while the harness runs. */
    String line() {
        return String.format("%-17s %-26s r%d %9.0f %s/s  p50 %7.1f  p99 %7.1f  p99.9 %7.1f us  cpu %6.2f us/%s"
                        + "  alloc %7.0f B/%s  wake-ups %5.2f/%s  server %6.2f us/%s  others %.2f cores%s%s",
                client.id(), workload.spec(), round, opsPerSecond, workload.unit(), p50Micros, p99Micros,
                p999Micros, clientCpuMicrosPerOp, workload.unit(), clientBytesPerOp, workload.unit(),
                clientWakeupsPerOp, workload.unit(),
                serverCpuMicrosPerOp, workload.unit(), othersCores, disturbed ? " DISTURBED" : "",
                error == null ? "" : " ERROR " + error);
    }
}
