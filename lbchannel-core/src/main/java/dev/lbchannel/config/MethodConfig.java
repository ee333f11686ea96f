package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * What a service config says about the calls of one method (one entry of
 * {@code methodConfig}); every component is {@code null} when the config leaves it unset, and
 * the channel then uses its own or the call's setting. Immutable.
 *
 * @param timeout                 the default deadline of a call, non-negative; the earlier of it
 *                                and the call's own deadline applies
 * @param waitForReady            the default for {@code CallOptions.withWaitForReady}; the call's
 *                                own setting wins
 * @param maxRequestMessageBytes  the largest message the client may send, non-negative; the
 *                                smaller of it and the channel's limit applies
 * @param maxResponseMessageBytes the largest message the client accepts, non-negative; the
 *                                smaller of it and the channel's limit applies
 * @param retryPolicy             how failed attempts are retried (gRFC A6); never set together
 *                                with {@code hedgingPolicy}
 * @param hedgingPolicy           how attempts are hedged (gRFC A6); never set together with
 *                                {@code retryPolicy}
 */
public record MethodConfig(
        @Nullable Duration timeout,
        @Nullable Boolean waitForReady,
        @Nullable Integer maxRequestMessageBytes,
        @Nullable Integer maxResponseMessageBytes,
        @Nullable RetryPolicy retryPolicy,
        @Nullable HedgingPolicy hedgingPolicy) {

    /** The config of a method the service config says nothing about. */
    public static final MethodConfig EMPTY = new MethodConfig(null, null, null, null, null, null);

    public MethodConfig {
        if (retryPolicy != null && hedgingPolicy != null) {
            throw new IllegalArgumentException("retryPolicy and hedgingPolicy are mutually exclusive");
        }
    }
}
