package dev.lbchannel.actuate.metrics;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.micrometer.core.instrument.Tags;

/**
 * Meters the attempts of one call: the channel asks it for a tracer per attempt (a transparent
 * retry is a second one), which counts the attempt as started and records its duration and
 * message bytes when its stream closes. A call that ended before any attempt still counts as
 * one, as gRFC A66 asks, through {@link #callEnded}. Thread-safe.
 */
final class AttemptMeters extends ClientStreamTracer.Factory {

    private final CallMeters meters;
    private final Tags callTags;
    private volatile boolean attempted;

    AttemptMeters(CallMeters meters, Tags callTags) {
        this.meters = meters;
        this.callTags = callTags;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        attempted = true;
        meters.attemptStarted(callTags);
        return new MeteredAttempt(meters, callTags);
    }

    /** Records the call; first an empty attempt when none was made (the call failed before a stream). */
    void callEnded(String status, long createdNanos, long startedNanos) {
        if (!attempted) {
            meters.attemptStarted(callTags);
            meters.attemptEnded(callTags, status, startedNanos, 0, 0);
        }
        meters.callEnded(callTags, status, createdNanos);
    }
}
