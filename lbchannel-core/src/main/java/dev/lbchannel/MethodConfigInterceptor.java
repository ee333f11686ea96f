package dev.lbchannel;

import dev.lbchannel.config.MethodConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Applies the service config's {@code methodConfig} to each call, innermost, so it sees what the
 * application's interceptors set: the timeout tightens the deadline, {@code waitForReady}
 * overrides the call's, and the message limits tighten the call's. With retries enabled, the
 * method's {@code retryPolicy} or {@code hedgingPolicy} and the config's retry throttle travel to
 * the call in its options. A method with no config gets its call options untouched, at the cost
 * of one map lookup.
 */
final class MethodConfigInterceptor implements ClientInterceptor {

    private final ServiceConfigSelector configs;
    private final boolean retryEnabled;

    MethodConfigInterceptor(ServiceConfigSelector configs, boolean retryEnabled) {
        this.configs = configs;
        this.retryEnabled = retryEnabled;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        MethodConfig methodConfig = configs.current().methodConfig(method.getFullMethodName());
        RetryThrottle throttle = configs.throttle();
        if (methodConfig == MethodConfig.EMPTY && throttle == null) {
            return next.newCall(method, callOptions);
        }
        CallOptions options = apply(methodConfig, callOptions);
        if (throttle != null) {
            options = options.withOption(PreCommitStream.THROTTLE, throttle);
        }
        if (retryEnabled && methodConfig.retryPolicy() != null) {
            options = options.withOption(PreCommitStream.RETRY_POLICY, methodConfig.retryPolicy());
        } else if (retryEnabled && methodConfig.hedgingPolicy() != null) {
            options = options.withOption(PreCommitStream.HEDGING_POLICY, methodConfig.hedgingPolicy());
        }
        return next.newCall(method, options);
    }

    static CallOptions apply(MethodConfig config, CallOptions options) {
        CallOptions result = options;
        Duration timeout = config.timeout();
        if (timeout != null) {
            Deadline fromConfig = Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS);
            Deadline existing = result.getDeadline();
            if (existing == null || fromConfig.isBefore(existing)) {
                result = result.withDeadline(fromConfig);
            }
        }
        Boolean waitForReady = config.waitForReady();
        if (waitForReady != null) {
            result = waitForReady ? result.withWaitForReady() : result.withoutWaitForReady();
        }
        Integer maxRequest = config.maxRequestMessageBytes();
        if (maxRequest != null) {
            Integer existing = result.getMaxOutboundMessageSize();
            result = result.withMaxOutboundMessageSize(existing == null ? maxRequest : Math.min(existing, maxRequest));
        }
        Integer maxResponse = config.maxResponseMessageBytes();
        if (maxResponse != null) {
            Integer existing = result.getMaxInboundMessageSize();
            result = result.withMaxInboundMessageSize(existing == null ? maxResponse : Math.min(existing, maxResponse));
        }
        return result;
    }
}
