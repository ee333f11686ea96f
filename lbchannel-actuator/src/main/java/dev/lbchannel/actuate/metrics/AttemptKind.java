package dev.lbchannel.actuate.metrics;

import io.grpc.ClientStreamTracer;

/**
 * Why the channel started an attempt of a call, as gRFC A96 counts them, read from the
 * {@link ClientStreamTracer.StreamInfo} the channel hands the attempt's tracer factory.
 */
enum AttemptKind {

    /** The call's first attempt. */
    ORIGINAL,

    /** An attempt a retry policy started after a failed one. */
    RETRY,

    /** An attempt a hedging policy started besides the first. */
    HEDGE,

    /** An attempt replaying one that never reached the server's application; counts against no policy. */
    TRANSPARENT_RETRY;

    /**
     * The kind of the attempt {@code info} describes. A transparent retry keeps the previous
     * attempts count of the attempt it replays (gRFC A6), so its flag decides first; an attempt
     * with none before it is the original whatever its hedging flag says; any later one is a
     * hedge when {@code isHedging()} says so, else a retry.
     */
    static AttemptKind of(ClientStreamTracer.StreamInfo info) {
        if (info.isTransparentRetry()) {
            return TRANSPARENT_RETRY;
        }
        if (info.getPreviousAttempts() == 0) {
            return ORIGINAL;
        }
        return info.isHedging() ? HEDGE : RETRY;
    }
}
