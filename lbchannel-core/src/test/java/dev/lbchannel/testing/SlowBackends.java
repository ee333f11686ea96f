package dev.lbchannel.testing;

import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java test backends on loopback whose calls the test can slow down: each call's end (its
 * trailers) is put off by a delay, or held until {@link #release}, while its response headers and
 * message go out at once. Each backend counts the calls that reach it.
 */
public final class SlowBackends implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<Slowness> slowness = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-backends-timer");
        t.setDaemon(true);
        return t;
    });

    public SlowBackends(int size) {
        for (int i = 0; i < size; i++) {
            Slowness s = new Slowness();
            slowness.add(s);
            backends.add(TestBackend.start(false, builder -> builder.intercept(s)));
        }
    }

    public int[] ports() {
        return backends.stream().mapToInt(TestBackend::port).toArray();
    }

    /** Backend {@code i} ends each call {@code delay} after answering it. */
    public void delay(int i, Duration delay) {
        slowness.get(i).delayNanos = delay.toNanos();
    }

    /** Backend {@code i} answers calls but ends none until {@link #release}. */
    public void hold(int i) {
        slowness.get(i).hold();
    }

    /** Ends every call backend {@code i} holds, and holds no more. */
    public void release(int i) {
        slowness.get(i).release().forEach(Runnable::run);
    }

    /** Calls that reached backend {@code i}. */
    public int received(int i) {
        return slowness.get(i).received.get();
    }

    /** Which backend a subchannel connects to, or -1. */
    public int indexOf(SubchannelSnapshot subchannel) {
        for (int i = 0; i < backends.size(); i++) {
            if (subchannel.addresses().contains("127.0.0.1:" + backends.get(i).port())) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        for (int i = 0; i < backends.size(); i++) {
            release(i);
        }
        backends.forEach(TestBackend::close);
        timer.shutdownNow();
    }

    private final class Slowness implements ServerInterceptor {
        final AtomicInteger received = new AtomicInteger();
        volatile long delayNanos;
        /** Whether calls are held, and the ends held; guarded by {@code this}, so that no end is held after a release. */
        private boolean held;
        private final List<Runnable> holding = new ArrayList<>();

        synchronized void hold() {
            held = true;
        }

        /** Holds no more, and hands back the ends held so far, to run outside the lock. */
        synchronized List<Runnable> release() {
            held = false;
            List<Runnable> ends = List.copyOf(holding);
            holding.clear();
            return ends;
        }

        /** Keeps {@code end} for the next release if calls are held; false if they are not. */
        synchronized boolean holdIfHeld(Runnable end) {
            if (held) {
                holding.add(end);
            }
            return held;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            received.incrementAndGet();
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    Runnable end = () -> delegate().close(status, trailers);
                    if (holdIfHeld(end)) {
                        return;
                    }
                    if (delayNanos > 0) {
                        timer.schedule(end, delayNanos, TimeUnit.NANOSECONDS);
                    } else {
                        end.run();
                    }
                }
            }, headers);
        }
    }
}
