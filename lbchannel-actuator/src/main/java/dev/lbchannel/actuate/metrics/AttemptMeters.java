package dev.lbchannel.actuate.metrics;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.micrometer.core.instrument.Tags;

/**
 * Meters the attempts of one call: the channel asks it for a tracer per attempt (a retry, a hedge
 * or a transparent retry is another one), which counts the attempt as started and records its
 * duration and message bytes when its stream closes. When the call ends it records the call, with
 * how many retries, transparent retries and hedges it made and how long it waited between them
 * (gRFC A96). A call that ended before any attempt still counts as one, as gRFC A66 asks, through
 * {@link #callEnded}. Thread-safe.
 */
final class AttemptMeters extends ClientStreamTracer.Factory {

    private final CallMeters meters;
    private final Tags callTags;
    private final AttemptHistory history = new AttemptHistory();
    private volatile boolean attempted;

    AttemptMeters(CallMeters meters, Tags callTags) {
        this.meters = meters;
        this.callTags = callTags;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        long now = meters.now();
        attempted = true;
        history.attemptStarted(AttemptKind.of(info), now);
        meters.attemptStarted(callTags);
        return new MeteredAttempt(meters, callTags, history, now);
    }

    /**
     * Records the call; first an empty attempt when none was made (the call failed before a
     * stream). Attempts the channel starts after this are metered as attempts only.
     */
    void callEnded(String status, long createdNanos, long startedNanos) {
        if (!attempted) {
            meters.attemptStarted(callTags);
            meters.attemptEnded(callTags, status, startedNanos, meters.now(), 0, 0);
        }
        meters.callEnded(callTags, status, createdNanos);
        history.recordTo(meters, callTags);
    }
}
