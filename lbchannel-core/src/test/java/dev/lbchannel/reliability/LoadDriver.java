package dev.lbchannel.reliability;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Issues unary calls on any {@link Channel} (lbchannel's or grpc-java's) at a fixed rate for a
 * fixed time, open loop: a call starts on schedule whether or not earlier ones finished. Each call
 * has its own deadline and is recorded by its index: start and end ({@link System#nanoTime()}),
 * final status and the backend that served it (from {@link TestBackend#SERVED_BY}, when the
 * response had headers). {@link #awaitReport()} waits for every call and sums them up.
 *
 * <pre>{@code
 * try (LoadDriver load = LoadDriver.on(channel).rate(300).duration(Duration.ofSeconds(20)).start()) {
 *     load.awaitElapsed(Duration.ofSeconds(5));
 *     long killedAt = System.nanoTime();
 *     backend.kill();
 *     LoadReport report = load.awaitReport();
 *     assertThat(report.failuresStartedAfter(killedAt + TimeUnit.SECONDS.toNanos(1))).isEmpty();
 * }
 * }</pre>
 *
 * <p>Light on the machine: records are preallocated arrays, a call costs its {@code ClientCall},
 * one listener and its options; one timer thread ticks every millisecond and starts the calls
 * that are due, so the rate holds however coarse the timer. Calls run raw {@link ClientCall}s,
 * as a stub does, so the listener sees the response headers. Thread-safe; records are written by
 * the timer (start) and the call's callback (end), and read once every call has ended.
 */
public final class LoadDriver implements AutoCloseable {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration REPORT_SLACK = Duration.ofSeconds(30);

    private final Channel channel;
    private final MethodDescriptor<Object, Object> method;
    private final Object request;
    private final int rate;
    private final int total;
    private final long deadlineNanos;
    private final Duration duration;
    private final long[] startNanos;
    private final long[] endNanos;
    private final @Nullable Status[] statuses;
    private final @Nullable String[] servedBy;
    private final AtomicInteger completed = new AtomicInteger();
    private final boolean waitForReady;
    /** Calls each backend answered OK so far, for tests that wait on the load while it runs. */
    private final Map<String, AtomicInteger> servedSoFar = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-driver");
        t.setDaemon(true);
        return t;
    });
    private volatile int issued;
    private final long originNanos = System.nanoTime();
    private volatile @Nullable Throwable failure;

    private LoadDriver(Builder builder) {
        this.channel = builder.channel;
        this.method = builder.method;
        this.request = builder.request;
        this.rate = builder.rate;
        this.duration = builder.duration;
        this.total = Math.toIntExact(builder.duration.toNanos() * rate / 1_000_000_000L);
        this.deadlineNanos = builder.deadline.toNanos();
        this.waitForReady = builder.waitForReady;
        this.startNanos = new long[total];
        this.endNanos = new long[total];
        this.statuses = new Status[total];
        this.servedBy = new String[total];
    }

    /** A driver of {@code EmptyCall} at 300 calls/s for 20 s with a 5 s deadline, until told otherwise. */
    public static Builder on(Channel channel) {
        return new Builder(requireNonNull(channel, "channel"));
    }

    /** The {@link System#nanoTime()} at which the first call was due. */
    public long originNanos() {
        return originNanos;
    }

    /** Time since the first call was due. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - originNanos);
    }

    /** Calls started so far. */
    public int issued() {
        return issued;
    }

    /** Calls {@code hostAndPort} has answered OK so far in this run. */
    public int servedSoFar(String hostAndPort) {
        AtomicInteger count = servedSoFar.get(hostAndPort);
        return count == null ? 0 : count.get();
    }

    /** Waits, bounded, until {@code time} has passed since the first call (to inject a fault then). */
    public void awaitElapsed(Duration time) {
        Await.until(time + " of load", time.plus(REPORT_SLACK), () -> elapsed().compareTo(time) >= 0);
        throwIfFailed();
    }

    /**
     * Waits until every call has been started and has ended, bounded by the rest of the run plus
     * the deadline and some slack, and returns the report.
     */
    public LoadReport awaitReport() {
        Duration bound = duration.minus(elapsed()).plusNanos(deadlineNanos).plus(REPORT_SLACK);
        Await.until("all " + total + " calls end (" + completed.get() + " ended)", bound,
                () -> failure != null || (timer.isTerminated() && completed.get() == issued));
        throwIfFailed();
        return new LoadReport(originNanos, rate, issued, startNanos, endNanos, statuses, servedBy);
    }

    /** Stops starting calls; those started run to their end. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private LoadDriver begin() {
        timer.scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
        return this;
    }

    private void tick() {
        try {
            long due = Math.min(total, (System.nanoTime() - originNanos) * rate / 1_000_000_000L + 1);
            for (int i = issued; i < due; i++) {
                issue(i);
                issued = i + 1;
            }
            if (due == total) {
                timer.shutdown();
            }
        } catch (Throwable t) {
            failure = t;
            timer.shutdown();
        }
    }

    private void issue(int index) {
        startNanos[index] = System.nanoTime();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
        ClientCall<Object, Object> call = channel.newCall(method, waitForReady ? options.withWaitForReady() : options);
        call.start(new Recorder(index), new Metadata());
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
    }

    private void throwIfFailed() {
        Throwable t = failure;
        if (t != null) {
            throw new AssertionError("The load driver failed to start a call", t);
        }
    }

    /** Records one call's end; the only object a call costs beyond its own. */
    private final class Recorder extends ClientCall.Listener<Object> {
        private final int index;

        Recorder(int index) {
            this.index = index;
        }

        @Override
        public void onHeaders(Metadata headers) {
            servedBy[index] = headers.get(TestBackend.SERVED_BY);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            endNanos[index] = System.nanoTime();
            statuses[index] = status;
            String backend = servedBy[index];
            if (status.isOk() && backend != null) {
                servedSoFar.computeIfAbsent(backend, b -> new AtomicInteger()).incrementAndGet();
            }
            completed.incrementAndGet();
        }
    }

    /** What to call, how often, for how long. */
    public static final class Builder {
        private final Channel channel;
        private MethodDescriptor<Object, Object> method = erase(TestServiceGrpc.getEmptyCallMethod());
        private Object request = Empty.getDefaultInstance();
        private int rate = 300;
        private Duration duration = Duration.ofSeconds(20);
        private Duration deadline = Duration.ofSeconds(5);
        private boolean waitForReady;

        private Builder(Channel channel) {
            this.channel = channel;
        }

        /** A unary method and the request every call sends; {@code EmptyCall} unless set. */
        public <Q> Builder call(MethodDescriptor<Q, ?> method, Q request) {
            if (method.getType() != MethodDescriptor.MethodType.UNARY) {
                throw new IllegalArgumentException(method.getFullMethodName() + " is not unary");
            }
            this.method = erase(method);
            this.request = requireNonNull(request, "request");
            return this;
        }

        /** Calls started per second. */
        public Builder rate(int callsPerSecond) {
            if (callsPerSecond < 1) {
                throw new IllegalArgumentException("rate must be at least 1/s, was " + callsPerSecond);
            }
            this.rate = callsPerSecond;
            return this;
        }

        /** How long calls are started for; the run makes {@code rate × duration} calls. */
        public Builder duration(Duration duration) {
            this.duration = requireNonNull(duration, "duration");
            return this;
        }

        /** Each call's deadline, from its start. */
        public Builder deadline(Duration deadline) {
            this.deadline = requireNonNull(deadline, "deadline");
            return this;
        }

        /** Makes every call wait-for-ready (gRPC's {@code waitForReady}); fail-fast unless set. */
        public Builder waitForReady(boolean waitForReady) {
            this.waitForReady = waitForReady;
            return this;
        }

        /** Starts the first call now. */
        public LoadDriver start() {
            if (duration.toNanos() * rate / 1_000_000_000L < 1) {
                throw new IllegalArgumentException("A run of " + duration + " at " + rate + "/s makes no call");
            }
            return new LoadDriver(this).begin();
        }

        @SuppressWarnings("unchecked")
        private static MethodDescriptor<Object, Object> erase(MethodDescriptor<?, ?> method) {
            return (MethodDescriptor<Object, Object>) method;
        }
    }
}
