package dev.lbchannel.testing;

import io.grpc.BindableService;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real grpc-java backends on loopback for health-checking tests, each serving the interop
 * {@code TestService} and, unless told otherwise, grpc-java's own health service driven by a
 * {@link HealthStatusManager}. Each records, on the server's side, the time of the latest
 * application call it began and how many health {@code Watch} calls it saw. A client interceptor
 * counts which backend served each call. Thread-safe.
 */
public final class HealthBackends implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<@Nullable HealthStatusManager> managers = new ArrayList<>();
    private final List<CallRecorder> recorders = new ArrayList<>();
    private final ServedByCounter counter = new ServedByCounter();

    /**
     * @param healthServices one per backend: grpc-java's health service ({@code null} entries
     *     get a {@link HealthStatusManager}), or a test's own service, or {@link #NONE} for a
     *     backend without any health service
     */
    public HealthBackends(List<BindableService> healthServices) {
        for (BindableService service : healthServices) {
            HealthStatusManager manager = service == AUTO ? new HealthStatusManager() : null;
            BindableService served = manager != null ? manager.getHealthService() : service;
            CallRecorder recorder = new CallRecorder();
            backends.add(TestBackend.start(false, builder -> {
                builder.intercept(recorder);
                return served == NONE ? builder : builder.addService(served);
            }));
            managers.add(manager);
            recorders.add(recorder);
        }
    }

    /** {@code count} backends with grpc-java's health service, all SERVING. */
    public static HealthBackends withHealthStatusManagers(int count) {
        List<BindableService> services = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            services.add(AUTO);
        }
        return new HealthBackends(services);
    }

    /** Stands for grpc-java's health service with its own {@link HealthStatusManager}. */
    public static final BindableService AUTO = new HealthGrpc.HealthImplBase() { };
    /** Stands for no health service at all: Watch fails UNIMPLEMENTED. */
    public static final BindableService NONE = new HealthGrpc.HealthImplBase() { };

    /** Sets what backend {@code i}'s health service says about {@code service}. */
    public void setStatus(int i, String service, ServingStatus status) {
        HealthStatusManager manager = managers.get(i);
        if (manager == null) {
            throw new IllegalStateException("Backend " + i + " has no HealthStatusManager");
        }
        manager.setStatus(service, status);
    }

    public int port(int i) {
        return backends.get(i).port();
    }

    public int[] ports() {
        return backends.stream().mapToInt(TestBackend::port).toArray();
    }

    /** Calls backend {@code i} served, as the client saw in response headers, since the last reset. */
    public int served(int i) {
        return counter.served("127.0.0.1:" + port(i));
    }

    public void resetCounts() {
        counter.reset();
    }

    public ClientInterceptor counter() {
        return counter;
    }

    /** {@link System#nanoTime()} when backend {@code i} last began an application call; 0 if never. */
    public long lastCallNanos(int i) {
        return recorders.get(i).lastCallNanos.get();
    }

    /** How many application calls (not health checks) backend {@code i} has begun. */
    public int calls(int i) {
        return recorders.get(i).calls.get();
    }

    /** How many {@code grpc.health.v1.Health/Watch} calls backend {@code i} has seen. */
    public int watches(int i) {
        return recorders.get(i).watches.get();
    }

    @Override
    public void close() {
        backends.forEach(TestBackend::close);
    }

    /** Notes application calls' start times and counts Watch calls, on the server. */
    private static final class CallRecorder implements ServerInterceptor {
        final AtomicLong lastCallNanos = new AtomicLong();
        final AtomicInteger watches = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (call.getMethodDescriptor().getFullMethodName().equals(HealthGrpc.getWatchMethod().getFullMethodName())) {
                watches.incrementAndGet();
            } else if (!call.getMethodDescriptor().getServiceName().equals(HealthGrpc.SERVICE_NAME)) {
                lastCallNanos.set(System.nanoTime());
                calls.incrementAndGet();
            }
            return next.startCall(call, headers);
        }
    }
}
