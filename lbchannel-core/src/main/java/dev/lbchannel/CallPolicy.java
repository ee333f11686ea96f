package dev.lbchannel;

import dev.lbchannel.config.HedgingPolicy;
import dev.lbchannel.config.RetryPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What the service config asks of one call's attempts (gRFC A6): its method's retry or hedging
 * policy, when retries are enabled, and the channel's retry throttle. Immutable.
 *
 * @param retry the method's {@code retryPolicy}, or {@code null}
 * @param hedging the method's {@code hedgingPolicy}, or {@code null}; never set with {@code retry}
 * @param throttle the channel's throttle under the current config, or {@code null} for none
 */
record CallPolicy(@Nullable RetryPolicy retry, @Nullable HedgingPolicy hedging, @Nullable RetryThrottle throttle) {

    /** No retry, no hedging, no throttle: most calls. */
    static final CallPolicy NONE = new CallPolicy(null, null, null);
}
