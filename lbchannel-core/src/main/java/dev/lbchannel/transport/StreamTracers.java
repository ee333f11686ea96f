package dev.lbchannel.transport;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;

import org.jspecify.annotations.Nullable;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The {@link ClientStreamTracer}s of one attempt of one call, created from the call's
 * {@link CallOptions#getStreamTracerFactories() tracer factories} and carried to the transport
 * inside the attempt's {@link CallOptions} under {@link #KEY}, so that {@link ClientTransport}'s
 * contract stays as it is. A call without factories has none of this: no array, no option.
 *
 * <p>Each event is passed to every tracer in order. Outbound events come from the application's
 * thread (one at a time, as {@code ClientCall} promises), inbound ones from the event loop,
 * except a compressed message's uncompressed size, reported by the thread that inflates it once
 * it has read the whole message, which may be after {@code streamClosed}. The message counters
 * are each touched by one side only. Outbound events may be reported while the call holds its
 * small lock (as its own stream is called), so tracers must be quick and must not block; grpc's
 * tracer contract asks that of them anyway.
 */
public final class StreamTracers {

    /** Where an attempt's tracers travel in its {@link CallOptions}. */
    public static final CallOptions.Key<StreamTracers> KEY = CallOptions.Key.create("lbchannel.streamTracers");

    private final ClientStreamTracer[] tracers;
    private int outboundSeq;
    private int inboundSeq;

    private StreamTracers(ClientStreamTracer[] tracers) {
        this.tracers = tracers;
    }

    /**
     * Creates the tracers for one attempt of a call whose options name at least one factory.
     *
     * @param previousAttempts how many retry or hedge attempts of the call came before this one
     * @param transparentRetry whether this attempt replays one the server never processed
     * @param hedging whether the call's attempts are hedges (gRFC A6)
     */
    public static StreamTracers create(CallOptions callOptions, Metadata headers, int previousAttempts,
            boolean transparentRetry, boolean hedging) {
        requireNonNull(callOptions, "callOptions");
        requireNonNull(headers, "headers");
        List<ClientStreamTracer.Factory> factories = callOptions.getStreamTracerFactories();
        ClientStreamTracer.StreamInfo info = ClientStreamTracer.StreamInfo.newBuilder()
                .setCallOptions(callOptions)
                .setPreviousAttempts(previousAttempts)
                .setIsTransparentRetry(transparentRetry)
                .setIsHedging(hedging)
                .build();
        ClientStreamTracer[] tracers = new ClientStreamTracer[factories.size()];
        for (int i = 0; i < tracers.length; i++) {
            tracers[i] = factories.get(i).newClientStreamTracer(info, headers);
        }
        return new StreamTracers(tracers);
    }

    /** The tracers an attempt's options carry, or {@code null} when the call has none. */
    public static @Nullable StreamTracers of(CallOptions attemptOptions) {
        return attemptOptions.getOption(KEY);
    }

    /** The attempt's options: {@code callOptions} carrying these tracers. */
    public CallOptions attachTo(CallOptions callOptions) {
        return callOptions.withOption(KEY, this);
    }

    void streamCreated(Attributes transportAttrs, Metadata headers) {
        for (ClientStreamTracer tracer : tracers) {
            tracer.streamCreated(transportAttrs, headers);
        }
    }

    void outboundHeaders() {
        for (ClientStreamTracer tracer : tracers) {
            tracer.outboundHeaders();
        }
    }

    /**
     * One message went to the attempt's stream.
     *
     * @param wireBytes its bytes as sent, compressed if it was, without the 5-byte gRPC prefix
     * @param uncompressedBytes its serialized size before compression
     */
    public void outboundMessage(int wireBytes, int uncompressedBytes) {
        int seq = outboundSeq++;
        for (ClientStreamTracer tracer : tracers) {
            tracer.outboundMessage(seq);
            tracer.outboundWireSize(wireBytes);
            tracer.outboundUncompressedSize(uncompressedBytes);
        }
    }

    void inboundHeaders(Metadata headers) {
        for (ClientStreamTracer tracer : tracers) {
            tracer.inboundHeaders(headers);
        }
    }

    /**
     * One message was taken off the stream.
     *
     * @param wireBytes its bytes as received, without the 5-byte gRPC prefix
     * @param compressed whether its uncompressed size follows later, from
     *     {@link #inboundUncompressedSize}, once it is inflated
     */
    void inboundMessage(int wireBytes, boolean compressed) {
        int seq = inboundSeq++;
        for (ClientStreamTracer tracer : tracers) {
            tracer.inboundMessage(seq);
            tracer.inboundWireSize(wireBytes);
            if (!compressed) {
                tracer.inboundUncompressedSize(wireBytes);
            }
        }
    }

    void inboundUncompressedSize(long bytes) {
        for (ClientStreamTracer tracer : tracers) {
            tracer.inboundUncompressedSize(bytes);
        }
    }

    void inboundTrailers(Metadata trailers) {
        for (ClientStreamTracer tracer : tracers) {
            tracer.inboundTrailers(trailers);
        }
    }

    void streamClosed(Status status) {
        for (ClientStreamTracer tracer : tracers) {
            tracer.streamClosed(status);
        }
    }
}
