package dev.lbchannel.actuate.metrics;

import io.grpc.ClientStreamTracer;
import io.grpc.Status;
import io.micrometer.core.instrument.Tags;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One attempt's tracer: sums the compressed bytes of the messages it sent and received, and
 * records them with its duration when its stream closes, which it also tells the call's
 * {@link AttemptHistory}. Sent sizes come from the application's thread, the rest from the
 * transport's event loop; reads no metadata.
 */
final class MeteredAttempt extends ClientStreamTracer {

    private static final AtomicLongFieldUpdater<MeteredAttempt> SENT =
            AtomicLongFieldUpdater.newUpdater(MeteredAttempt.class, "sentBytes");

    private final CallMeters meters;
    private final Tags callTags;
    private final AttemptHistory history;
    private final long startedNanos;
    private volatile long sentBytes;
    private volatile long rcvdBytes; // written by the event loop only

    MeteredAttempt(CallMeters meters, Tags callTags, AttemptHistory history, long startedNanos) {
        this.meters = meters;
        this.callTags = callTags;
        this.history = history;
        this.startedNanos = startedNanos;
    }

    @Override
    public void outboundWireSize(long bytes) {
        SENT.addAndGet(this, bytes);
    }

    @Override
    public void inboundWireSize(long bytes) {
        rcvdBytes += bytes;
    }

    @Override
    public void streamClosed(Status status) {
        long now = meters.now();
        history.attemptEnded(now);
        meters.attemptEnded(callTags, status.getCode().name(), startedNanos, now, sentBytes, rcvdBytes);
    }
}
