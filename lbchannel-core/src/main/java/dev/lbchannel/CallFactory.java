package dev.lbchannel;

import dev.lbchannel.config.MethodConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The innermost channel, under the application's interceptors, which makes every call a
 * {@link ChannelCall}. It applies the service config's {@code methodConfig} first, so that it sees
 * what the interceptors set: the timeout tightens the deadline, {@code waitForReady} overrides
 * the call's, the message limits tighten the call's. With retries enabled, the method's
 * {@code retryPolicy} or {@code hedgingPolicy} and the channel's retry throttle go to the call as
 * its {@link CallPolicy}. A method with no config costs one map lookup and nothing else.
 */
final class CallFactory extends Channel {

    private final LbChannel channel;
    private final ServiceConfigSelector configs;
    private final boolean retryEnabled;
    /** The call policy made last: calls of one method under one config share it. */
    private volatile @Nullable CallPolicy lastPolicy;

    CallFactory(LbChannel channel, ServiceConfigSelector configs, boolean retryEnabled) {
        this.channel = channel;
        this.configs = configs;
        this.retryEnabled = retryEnabled;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
        MethodConfig methodConfig = configs.current().methodConfig(method.getFullMethodName(), method.getServiceName());
        RetryThrottle throttle = configs.throttle();
        if (methodConfig == MethodConfig.EMPTY && throttle == null) {
            return new ChannelCall<>(method, callOptions, channel, CallPolicy.NONE);
        }
        return new ChannelCall<>(method, apply(methodConfig, callOptions), channel, policyFor(methodConfig, throttle));
    }

    /** The call policy for a method's config and the throttle; the last one made is reused, not made per call. */
    private CallPolicy policyFor(MethodConfig methodConfig, @Nullable RetryThrottle throttle) {
        boolean retries = retryEnabled && (methodConfig.retryPolicy() != null || methodConfig.hedgingPolicy() != null);
        if (!retries && throttle == null) {
            return CallPolicy.NONE;
        }
        CallPolicy last = lastPolicy;
        if (last != null && last.throttle() == throttle && last.retry() == (retries ? methodConfig.retryPolicy() : null)
                && last.hedging() == (retries ? methodConfig.hedgingPolicy() : null)) {
            return last;
        }
        CallPolicy made = retries ? new CallPolicy(methodConfig.retryPolicy(), methodConfig.hedgingPolicy(), throttle)
                : new CallPolicy(null, null, throttle);
        lastPolicy = made;
        return made;
    }

    @Override
    public String authority() {
        return channel.authority();
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
