package dev.lbchannel.boot.autoconfigure;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Gives every call without a deadline this one ({@code default.deadline}). It runs after the
 * application's interceptors, so a deadline set by the caller or an interceptor wins; a service
 * config {@code timeout} still shortens it. Stateless and thread-safe.
 */
final class DefaultDeadlineInterceptor implements ClientInterceptor {

    private final long nanos;

    DefaultDeadlineInterceptor(Duration deadline) {
        this.nanos = requireNonNull(deadline, "deadline").toNanos();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallOptions withDeadline = options.getDeadline() == null
                ? options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS) : options;
        return next.newCall(method, withDeadline);
    }

    @Override
    public String toString() {
        return "DefaultDeadlineInterceptor[" + Duration.ofNanos(nanos) + "]";
    }
}
