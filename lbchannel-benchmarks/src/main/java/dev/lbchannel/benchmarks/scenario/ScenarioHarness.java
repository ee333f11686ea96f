package dev.lbchannel.benchmarks.scenario;

import dev.lbchannel.benchmarks.MachineInfo;
import dev.lbchannel.benchmarks.ProcStat;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The scenario harness's entry point. Starts the backends' JVM (pinned to its own CPU), warms up
 * both client libraries, then for each scenario and each policy of {@link RunList}: resets the
 * backends, sets the scenario's starting state, opens a fresh channel, keeps the calls outstanding
 * through an unmeasured lead-in and the measured time (firing the scenario's event a third of the
 * way in), and closes the channel. Writes the BENCHMARKS.md section and one PNG per scenario.
 * Options: see {@link ScenarioOptions}. Runs on the main thread.
 */
public final class ScenarioHarness {

    private ScenarioHarness() {
    }

    public static void main(String[] args) throws Exception {
        ScenarioOptions options = ScenarioOptions.parse(args);
        System.out.println("client CPUs " + MachineInfo.allowedCpus() + "; " + String.join("; ", options.describe()));
        List<RunResult> results = new ArrayList<>();
        try (BackendsProcess backends = BackendsProcess.start(Scenario.MAX_BACKENDS, options.backendsCpu,
                options.backendsJvmArgs)) {
            warmUp(backends, options);
            for (Scenario scenario : options.scenarios) {
                for (PolicyRun run : RunList.forScenario(scenario, options.timing)) {
                    if (!options.selects(run)) {
                        continue;
                    }
                    RunResult result = runOne(scenario, run, backends, options);
                    System.out.println(result.line());
                    results.add(result);
                }
            }
            if (options.writeReport) {
                new ScenarioReport(options, results, backends.commandLine()).write();
                System.out.println("wrote " + options.out.toAbsolutePath() + " and charts in "
                        + options.charts.toAbsolutePath());
            }
        }
        System.exit(0); // the channels' shared pools may keep non-daemon threads a little longer
    }

    /** Runs round_robin on each library over fast backends, unmeasured, so JIT compilation lands nowhere. */
    private static void warmUp(BackendsProcess backends, ScenarioOptions options) throws Exception {
        backends.command("reset " + Scenario.FAST_MICROS);
        for (PolicyRun run : List.of(PolicyRun.lbchannel("warm-up", "round_robin", "{}"),
                PolicyRun.grpcJava("warm-up", "round_robin", "{}"))) {
            ScenarioChannel channel = run.open(backends.ports().subList(0, 4));
            ScenarioLoop loop = new ScenarioLoop(channel.channel(), options.concurrency);
            loop.start();
            Thread.sleep(options.jitWarmupMillis);
            close(loop, channel);
        }
    }

    private static RunResult runOne(Scenario scenario, PolicyRun run, BackendsProcess backends, ScenarioOptions options)
            throws Exception {
        String why = run.unavailableReason();
        if (why != null) {
            return RunResult.skipped(scenario, run, why);
        }
        Scenario.Timing timing = options.timing;
        backends.command("reset " + Scenario.FAST_MICROS);
        scenario.prepare(backends, timing);
        ScenarioChannel channel;
        try {
            channel = run.open(scenario.initialPorts(backends));
        } catch (IllegalArgumentException e) {
            return RunResult.skipped(scenario, run, "the channel refused the config: " + e.getMessage());
        }
        ScenarioLoop loop = new ScenarioLoop(channel.channel(), options.concurrency);
        loop.start();
        Thread.sleep(timing.leadInMillis());
        CpuWindow cpu = new CpuWindow(backends);
        long origin = System.nanoTime();
        int seconds = (int) Math.ceil(timing.measureMillis() / 1000.0);
        BackendTimeline timeline = new BackendTimeline(Scenario.MAX_BACKENDS, seconds, origin);
        loop.countOn(timeline);
        loop.takeLatencies(); // the lead-in's calls do not count
        loop.takeFailures();
        Histogram beforeEvent = null;
        long failures = 0;
        if (scenario.hasEvent()) {
            sleepUntil(origin + TimeUnit.MILLISECONDS.toNanos(timing.eventMillis()));
            beforeEvent = loop.takeLatencies();
            failures += loop.takeFailures();
            scenario.event(backends, channel);
        }
        sleepUntil(origin + TimeUnit.MILLISECONDS.toNanos(timing.measureMillis()));
        Histogram all = loop.takeLatencies();
        failures += loop.takeFailures();
        double measured = (System.nanoTime() - origin) / 1e9;
        double othersCores = cpu.othersCores(measured);
        if (beforeEvent != null) {
            all.add(beforeEvent);
        }
        close(loop, channel);
        return RunResult.measured(scenario, run, all, beforeEvent == null ? all : beforeEvent, failures, measured,
                timeline, othersCores);
    }

    /** Machine, own and backends' CPU ticks at a run's start: what other processes took is the rest. */
    private static final class CpuWindow {
        private final BackendsProcess backends;
        private final long machine = ProcStat.machineBusyTicks();
        private final long self = ProcStat.processTicks(ProcessHandle.current().pid());
        private final long server;

        CpuWindow(BackendsProcess backends) {
            this.backends = backends;
            this.server = backends.cpuTicks();
        }

        double othersCores(double seconds) {
            if (machine < 0 || self < 0 || server < 0) {
                return -1;
            }
            long others = ProcStat.machineBusyTicks() - machine - (ProcStat.processTicks(ProcessHandle.current().pid())
                    - self) - (backends.cpuTicks() - server);
            return Math.max(0, others) / (seconds * ProcStat.TICKS_PER_SECOND);
        }
    }

    private static void close(ScenarioLoop loop, ScenarioChannel channel) throws InterruptedException {
        if (!loop.stop(5, TimeUnit.SECONDS)) {
            System.out.println("some calls did not finish within 5 s; closing the channel under them");
        }
        channel.channel().shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
