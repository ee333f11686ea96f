package dev.lbchannel.transport;

import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import org.jspecify.annotations.Nullable;

import java.io.InputStream;

/**
 * The response half of one {@link NettyClientStream}: checks the response headers, splits DATA
 * into messages ({@link InboundDeframer}), hands them to the listener as the application requests
 * them while giving their bytes back to the flow-control window, and ends the stream with the
 * trailers' status once every message is out.
 *
 * <p>Event-loop confined. Ends the stream only through {@link NettyClientStream#fail} and
 * {@link NettyClientStream#end}, and does nothing once the stream is closed.
 */
final class ResponseReader {

    private final NettyClientStream stream;
    private final GrpcClientHandler handler;
    private final ClientStreamListener listener;
    private final InboundDeframer deframer;
    private final DecompressorRegistry decompressors;
    private final @Nullable StreamTracers tracers;
    private boolean headersReceived;
    private boolean trailersReceived;
    private int requested;
    /** Buffered bytes already given back to the window because a requested message needs them. */
    private long returnedAhead;
    private boolean delivering;
    private @Nullable Status endStatus;
    private @Nullable Metadata endTrailers;

    ResponseReader(NettyClientStream stream, GrpcClientHandler handler, ClientStreamListener listener,
            int maxInboundMessageSize, DecompressorRegistry decompressors, @Nullable StreamTracers tracers) {
        this.stream = stream;
        this.handler = handler;
        this.listener = listener;
        this.deframer = new InboundDeframer(ByteBufAllocator.DEFAULT, maxInboundMessageSize);
        this.decompressors = decompressors;
        this.tracers = tracers;
    }

    void request(int numMessages) {
        requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + numMessages);
        deliver();
    }

    void onHeaders(Http2Headers headers, boolean endStream) {
        if (headersReceived) {
            if (!endStream) {
                stream.fail(Status.INTERNAL.withDescription("Received a second HEADERS frame without END_STREAM"));
                return;
            }
            endWithTrailers(headers);
            return;
        }
        headersReceived = true;
        Status invalid = ResponseStatus.checkResponseHeaders(headers);
        if (invalid != null) {
            stream.fail(invalid);
        } else if (endStream) {
            endWithTrailers(headers);
        } else {
            CharSequence encoding = headers.get(MetadataCodec.GRPC_ENCODING);
            if (encoding != null) {
                String name = encoding.toString();
                deframer.encoding(name, "identity".equals(name) ? null : decompressors.lookupDecompressor(name));
            }
            Metadata metadata = MetadataCodec.toMetadata(headers, false);
            if (tracers != null) {
                tracers.inboundHeaders(metadata);
            }
            listener.onHeaders(metadata);
        }
    }

    /** Takes a reference to {@code data} when it keeps it. */
    void onData(ByteBuf data, boolean endStream) {
        if (!headersReceived || trailersReceived) {
            stream.fail(Status.INTERNAL.withDescription(trailersReceived
                    ? "Received DATA after trailers" : "Received DATA before response headers"));
            return;
        }
        deframer.add(data.retain());
        if (endStream) {
            end(Status.INTERNAL.withDescription("Server ended the stream without trailers"), new Metadata());
        } else {
            deliver();
        }
    }

    /** Whether the outcome is known: trailers (or the end of the stream) arrived. */
    boolean trailersReceived() {
        return trailersReceived;
    }

    /** The bytes received but not yet delivered. */
    long bufferedBytes() {
        return deframer.bufferedBytes();
    }

    /** Drops undelivered messages. Idempotent. */
    void close() {
        deframer.close();
    }

    private void endWithTrailers(Http2Headers headers) {
        Metadata trailers = MetadataCodec.toMetadata(headers, true);
        if (tracers != null) {
            tracers.inboundTrailers(trailers);
        }
        end(ResponseStatus.fromTrailers(headers), trailers);
    }

    private void end(Status status, Metadata trailers) {
        trailersReceived = true;
        endStatus = status;
        endTrailers = trailers;
        deliver();
    }

    private void deliver() {
        if (delivering || stream.isClosed()) {
            return;
        }
        delivering = true;
        try {
            while (requested > 0 && !stream.isClosed()) {
                InputStream message;
                try {
                    message = deframer.next();
                } catch (StatusException e) {
                    stream.fail(e.getStatus());
                    return;
                }
                if (message == null) {
                    break;
                }
                requested--;
                int frameBytes = deframer.lastFrameBytes();
                long early = Math.min(frameBytes, returnedAhead);
                returnedAhead -= early;
                handler.messageDelivered(stream.http2Stream(), (int) (frameBytes - early));
                if (tracers != null) {
                    traceMessage(message, frameBytes - MessageFramer.HEADER_LENGTH);
                }
                listener.onMessage(message);
            }
            returnWindowForWantedMessage();
            if (!stream.isClosed() && endStatus != null) {
                if (deframer.isEmpty()) {
                    stream.end(endStatus, endTrailers);
                } else if (!deframer.hasCompleteMessage()) {
                    stream.fail(Status.INTERNAL.withDescription("Stream ended in the middle of a gRPC message"));
                }
            }
        } finally {
            delivering = false;
        }
    }

    private void traceMessage(InputStream message, int wireBytes) {
        boolean compressed = message instanceof DecompressingMessage;
        tracers.inboundMessage(wireBytes, compressed);
        if (compressed) {
            ((DecompressingMessage) message).reportSizeTo(tracers);
        }
    }

    /**
     * A message is wanted but has not fully arrived: give its bytes back now, or one larger than
     * the window would never arrive. Bytes of unwanted messages stay unreturned, which bounds
     * what the server can make us buffer to the window plus one message.
     */
    private void returnWindowForWantedMessage() {
        if (stream.isClosed() || requested == 0 || deframer.hasCompleteMessage()) {
            return;
        }
        long unreturned = deframer.bufferedBytes() - returnedAhead;
        if (unreturned > 0) {
            returnedAhead += unreturned;
            handler.returnWindow(stream.http2Stream(), (int) unreturned);
        }
    }
}
