package dev.lbchannel.reliability;

import dev.lbchannel.reliability.LoadReport.CallRecord;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ServedByCounter;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One fault injected into a steady load: a {@link LoadDriver} run on a channel, with a fault done
 * to one backend (the victim) {@link Settings#faultAt()} into it; the report, and when the fault
 * began and ended ({@link System#nanoTime()}), so a test can ask what the fault could have hit.
 *
 * <pre>{@code
 * FaultRun run = FaultRun.run(channel, FaultRun.Settings.fromSystemProperties(), victim, BackendProcess::kill);
 * assertThat(run.report().failures()).as(run.describe()).hasSizeLessThanOrEqualTo(run.inFlightOnVictim());
 * }</pre>
 *
 * @param report every call of the run
 * @param victim {@code host:port} of the backend the fault was done to
 * @param faultStartNanos just before the fault began (for a kill: before SIGKILL was sent)
 * @param faultEndNanos just after it ended (for a kill: once the process was gone)
 */
public record FaultRun(LoadReport report, String victim, long faultStartNanos, long faultEndNanos) {

    private static final Duration WARM_UP_BOUND = Duration.ofSeconds(30);
    private static final int WARM_UP_CALLS = 50;

    /** Runs the load on {@code channel}, and {@code fault} on {@code victim} {@link Settings#faultAt()} into it. */
    public static FaultRun run(Channel channel, Settings settings, BackendProcess victim,
            Consumer<BackendProcess> fault) {
        try (LoadDriver load = LoadDriver.on(channel).rate(settings.rate()).duration(settings.duration())
                .deadline(settings.deadline()).start()) {
            load.awaitElapsed(settings.faultAt());
            long start = System.nanoTime();
            fault.accept(victim);
            long end = System.nanoTime();
            return new FaultRun(load.awaitReport(), victim.hostAndPort(), start, end);
        }
    }

    /**
     * Makes calls one by one until every backend has served one and at least a few dozen were
     * made, bounded: connections are up and the client warm before the measured run.
     */
    public static void warmUp(Channel channel, List<BackendProcess> backends) {
        ServedByCounter counter = new ServedByCounter();
        TestServiceGrpc.TestServiceBlockingStub stub =
                TestServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, counter));
        AtomicInteger calls = new AtomicInteger();
        Await.until("every backend serves a call", WARM_UP_BOUND, () -> {
            stub.withDeadlineAfter(5, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            return calls.incrementAndGet() >= WARM_UP_CALLS
                    && backends.stream().allMatch(b -> counter.served(b.hostAndPort()) > 0);
        });
    }

    /** Calls open at some moment while the fault ran, on any backend. */
    public int inFlightDuringFault() {
        return report.inFlightDuring(faultStartNanos, faultEndNanos);
    }

    /**
     * Calls open at some moment while the fault ran that the victim served or no backend
     * answered: all a dying victim could have taken down with it.
     */
    public int inFlightOnVictim() {
        return report.inFlightDuring(faultStartNanos, faultEndNanos, victim);
    }

    /** Failed calls that started more than {@code after} after the fault began. */
    public List<CallRecord> failuresStartedAfterFault(Duration after) {
        return report.failuresStartedAfter(faultStartNanos + after.toNanos());
    }

    /** Calls {@code backend} served that started after the fault ended; for the victim, none, until it is back. */
    public int servedAfterFault(BackendProcess backend) {
        return report.servedAfter(backend.hostAndPort(), faultEndNanos);
    }

    /** The report's summary, the fault's window and the calls in flight during it. */
    public String describe() {
        return String.format("%s; fault to %s from %s to %s (%.1f ms), %d calls in flight during it, %d of them"
                        + " possibly on the victim", report.summary(), victim, report.at(faultStartNanos),
                report.at(faultEndNanos), (faultEndNanos - faultStartNanos) / 1e6, inFlightDuringFault(),
                inFlightOnVictim());
    }

    /**
     * The load of a fault run, from system properties so a longer run needs no code change:
     * {@code lbchannel.reliability.rate} (calls/s, 300), {@code lbchannel.reliability.seconds}
     * (20), {@code lbchannel.reliability.faultAtSeconds} (5); each call's deadline is 5 s.
     */
    public record Settings(int rate, Duration duration, Duration faultAt, Duration deadline) {

        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("lbchannel.reliability.rate", 300),
                    Duration.ofSeconds(Long.getLong("lbchannel.reliability.seconds", 20)),
                    Duration.ofSeconds(Long.getLong("lbchannel.reliability.faultAtSeconds", 5)),
                    Duration.ofSeconds(5));
        }
    }
}
