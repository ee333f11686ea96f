package dev.lbchannel.testing;

import io.grpc.Attributes;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ClientStreamTracer} that writes down what it hears, for tests of per-attempt tracing.
 * Its {@link #factory()} keeps every tracer it made, in attempt order. Thread-safe: events come
 * from the application's thread and the event loop.
 */
public final class RecordingStreamTracer extends ClientStreamTracer {

    private volatile Attributes transportAttributes = Attributes.EMPTY;
    private final StreamInfo info;
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final AtomicLong outboundWire = new AtomicLong();
    private final AtomicLong outboundUncompressed = new AtomicLong();
    private final AtomicLong inboundWire = new AtomicLong();
    private final AtomicLong inboundUncompressed = new AtomicLong();
    private volatile @Nullable Status closedWith;

    private RecordingStreamTracer(StreamInfo info) {
        this.info = info;
    }

    /** A factory whose tracers land in {@link Factory#tracers()}. */
    public static Factory factory() {
        return new Factory();
    }

    /** Makes {@link RecordingStreamTracer}s and keeps them. */
    public static final class Factory extends ClientStreamTracer.Factory {
        private final List<RecordingStreamTracer> tracers = new CopyOnWriteArrayList<>();

        @Override
        public ClientStreamTracer newClientStreamTracer(StreamInfo info, Metadata headers) {
            RecordingStreamTracer tracer = new RecordingStreamTracer(info);
            tracers.add(tracer);
            return tracer;
        }

        public List<RecordingStreamTracer> tracers() {
            return tracers;
        }
    }

    public StreamInfo info() {
        return info;
    }

    /** Event names in the order heard, message events with their sequence number. */
    public List<String> events() {
        return List.copyOf(events);
    }

    public long outboundWireSize() {
        return outboundWire.get();
    }

    public long outboundUncompressedSize() {
        return outboundUncompressed.get();
    }

    public long inboundWireSize() {
        return inboundWire.get();
    }

    public long inboundUncompressedSize() {
        return inboundUncompressed.get();
    }

    /** The transport attributes {@code streamCreated} was given. */
    public Attributes transportAttributes() {
        return transportAttributes;
    }

    public @Nullable Status closedWith() {
        return closedWith;
    }

    @Override
    public void streamCreated(Attributes transportAttrs, Metadata headers) {
        this.transportAttributes = transportAttrs;
        events.add("streamCreated");
    }

    @Override
    public void outboundHeaders() {
        events.add("outboundHeaders");
    }

    @Override
    public void inboundHeaders(Metadata headers) {
        events.add("inboundHeaders");
    }

    @Override
    public void inboundTrailers(Metadata trailers) {
        events.add("inboundTrailers");
    }

    @Override
    public void outboundMessage(int seqNo) {
        events.add("outboundMessage" + seqNo);
    }

    @Override
    public void inboundMessage(int seqNo) {
        events.add("inboundMessage" + seqNo);
    }

    @Override
    public void outboundWireSize(long bytes) {
        outboundWire.addAndGet(bytes);
    }

    @Override
    public void outboundUncompressedSize(long bytes) {
        outboundUncompressed.addAndGet(bytes);
    }

    @Override
    public void inboundWireSize(long bytes) {
        inboundWire.addAndGet(bytes);
    }

    @Override
    public void inboundUncompressedSize(long bytes) {
        inboundUncompressed.addAndGet(bytes);
    }

    @Override
    public void streamClosed(Status status) {
        events.add("streamClosed");
        closedWith = status;
    }
}
