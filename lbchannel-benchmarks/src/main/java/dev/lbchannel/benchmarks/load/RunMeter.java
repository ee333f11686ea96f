package dev.lbchannel.benchmarks.load;

import dev.lbchannel.benchmarks.ProcStat;
import io.grpc.Channel;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures one run: starts a {@link ClosedLoop}, lets it warm up, then reads every meter at the
 * start and end of the measured window while the load keeps running, so neither ramp-up nor
 * drain is counted. It also works out how much CPU other processes took meanwhile and marks the
 * run disturbed when that is over the threshold. Used by the harness thread only.
 */
final class RunMeter {

    private final ClientMeters meters = new ClientMeters();
    private final ServerProcess server;
    private final long warmupMillis;
    private final long measureMillis;
    private final double disturbedAboveCores;

    RunMeter(ServerProcess server, long warmupMillis, long measureMillis, double disturbedAboveCores) {
        this.server = server;
        this.warmupMillis = warmupMillis;
        this.measureMillis = measureMillis;
        this.disturbedAboveCores = disturbedAboveCores;
    }

    /** Loads {@code channel} for the warm-up and the measured window; the client kind is for the record. */
    RunResult measure(Channel channel, ClientKind client, Workload workload, int round) throws InterruptedException {
        System.gc(); // start every run from a collected heap, outside the window
        Thread.sleep(100);
        ClosedLoop loop = new ClosedLoop(channel, workload);
        loop.start();
        Thread.sleep(warmupMillis);

        long self = ProcessHandle.current().pid();
        long ops0 = loop.operations();
        long cpu0 = meters.processCpuNanos();
        Map<Long, Long> alloc0 = meters.allocatedByThread();
        long server0 = server.cpuTicks();
        long machine0 = ProcStat.machineBusyTicks();
        long selfTicks0 = ProcStat.processTicks(self);
        Map<Long, Long> switches0 = ProcStat.voluntarySwitchesByThread(self);
        long t0 = System.nanoTime();
        loop.takeLatencies();

        Thread.sleep(measureMillis);

        Histogram latency = loop.takeLatencies();
        long t1 = System.nanoTime();
        long ops = loop.operations() - ops0;
        long cpu = meters.processCpuNanos() - cpu0;
        long allocated = meters.allocatedSince(alloc0);
        long serverTicks = server.cpuTicks() - server0;
        long machineTicks = ProcStat.machineBusyTicks() - machine0;
        long selfTicks = ProcStat.processTicks(self) - selfTicks0;
        Map<Long, Long> switches1 = ProcStat.voluntarySwitchesByThread(self);
        long switches = switches0 == null || switches1 == null ? -1 : ProcStat.switchesBetween(switches0, switches1);
        boolean drained = loop.stop(10, TimeUnit.SECONDS);

        double seconds = (t1 - t0) / 1e9;
        double othersCores = machine0 < 0 ? -1
                : Math.max(0, machineTicks - selfTicks - serverTicks) / (seconds * ProcStat.TICKS_PER_SECOND);
        Throwable error = loop.firstError();
        String problem = error != null ? error.toString() : drained ? null : "calls still outstanding 10 s after stop";
        double perOp = Math.max(ops, 1);
        return new RunResult(client, workload, round, ops / seconds,
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3, cpu / 1e3 / perOp, allocated / perOp,
                switches < 0 ? -1 : switches / perOp,
                serverTicks < 0 ? -1 : serverTicks * (1e6 / ProcStat.TICKS_PER_SECOND) / perOp,
                othersCores, othersCores > disturbedAboveCores, 1, problem);
    }
}
