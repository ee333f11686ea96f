package dev.lbchannel.balancer.wrr;

import dev.lbchannel.testing.TestBackend;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.services.CallMetricRecorder;
import io.grpc.services.MetricRecorder;
import io.grpc.xds.orca.OrcaMetricReportingServerInterceptor;
import io.grpc.xds.orca.OrcaServiceImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java test backends on loopback that report their load with grpc-java's own ORCA server
 * support (gRFC A51): per call, each call records its backend's utilization and qps through
 * {@link CallMetricRecorder} under {@link OrcaMetricReportingServerInterceptor}; out of band, an
 * {@link OrcaServiceImpl} streams the backend's {@link MetricRecorder}. Each backend counts the
 * {@code EmptyCall}s that reach it.
 */
final class OrcaBackends implements AutoCloseable {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<AtomicInteger> received = new ArrayList<>();
    private final ScheduledExecutorService orcaTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orca-backends-timer");
        t.setDaemon(true);
        return t;
    });

    /** One backend per utilization, each reporting {@code qps} queries per second. */
    OrcaBackends(double qps, double... utilizations) {
        for (double utilization : utilizations) {
            AtomicInteger count = new AtomicInteger();
            received.add(count);
            MetricRecorder recorder = MetricRecorder.newInstance();
            recorder.setCpuUtilizationMetric(utilization);
            recorder.setQpsMetric(qps);
            ServerInterceptor perCall = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                        ServerCallHandler<Q, R> next) {
                    if (call.getMethodDescriptor().getFullMethodName().endsWith("/EmptyCall")) {
                        count.incrementAndGet();
                        CallMetricRecorder.getCurrent().recordCpuUtilizationMetric(utilization).recordQpsMetric(qps);
                    }
                    return next.startCall(call, headers);
                }
            };
            // The ORCA interceptor goes on last so it runs first, with the recorder in the context.
            backends.add(TestBackend.start(false, builder -> builder
                    .addService(OrcaServiceImpl.createService(orcaTimer, recorder, 50, TimeUnit.MILLISECONDS))
                    .intercept(perCall)
                    .intercept(OrcaMetricReportingServerInterceptor.getInstance())));
        }
    }

    int[] ports() {
        return backends.stream().mapToInt(TestBackend::port).toArray();
    }

    int received(int i) {
        return received.get(i).get();
    }

    void resetCounts() {
        received.forEach(c -> c.set(0));
    }

    @Override
    public void close() {
        backends.forEach(TestBackend::close);
        orcaTimer.shutdownNow();
    }
}
