package dev.lbchannel;

import dev.lbchannel.transport.MessageFramer;
import io.grpc.CallOptions;
import io.grpc.Codec;
import io.grpc.Compressor;
import io.grpc.KnownLength;
import io.grpc.CompressorRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;

/**
 * Turns one call's request messages into framed buffers on the application's thread:
 * serialized by the method's marshaller, compressed with the call's compressor unless the
 * application turned compression off, and held to the call's outbound size limit. A traced call's
 * encoder also learns each message's size before compression, for its stream tracers.
 *
 * <p>Used by one application thread at a time, as {@code ClientCall} promises.
 */
final class RequestEncoder<ReqT> {

    private final MethodDescriptor<ReqT, ?> method;
    private final @Nullable Compressor compressor;
    private final int maxMessageSize;
    private final boolean measure;
    private volatile boolean compress = true;
    private int lastUncompressedBytes = -1;

    private RequestEncoder(MethodDescriptor<ReqT, ?> method, @Nullable Compressor compressor, int maxMessageSize,
            boolean measure) {
        this.method = method;
        this.compressor = compressor;
        this.maxMessageSize = maxMessageSize;
        this.measure = measure;
    }

    /**
     * The encoder for a call.
     *
     * @throws StatusException INTERNAL when the call names a compressor the registry lacks
     */
    static <ReqT> RequestEncoder<ReqT> of(MethodDescriptor<ReqT, ?> method, CallOptions options,
            CompressorRegistry compressors) throws StatusException {
        String name = options.getCompressor();
        Compressor compressor = null;
        if (name != null && !Codec.Identity.NONE.getMessageEncoding().equals(name)) {
            compressor = compressors.lookupCompressor(name);
            if (compressor == null) {
                throw Status.INTERNAL.withDescription("Unable to find compressor by name " + name
                        + "; register it in the CompressorRegistry").asException();
            }
        }
        Integer max = options.getMaxOutboundMessageSize();
        return new RequestEncoder<>(method, compressor, max == null ? Integer.MAX_VALUE : max,
                !options.getStreamTracerFactories().isEmpty());
    }

    /** For {@code ClientCall.setMessageCompression}: later messages go uncompressed when false. */
    void compress(boolean enabled) {
        compress = enabled;
    }

    /**
     * Frames one message; the caller owns the buffer.
     *
     * @throws StatusRuntimeException INTERNAL when the message cannot be serialized,
     *     RESOURCE_EXHAUSTED when it is over the limit
     */
    ByteBuf encode(ReqT message) {
        try {
            InputStream serialized = method.streamRequest(message);
            Compressor using = compress ? compressor : null;
            if (!measure) {
                return MessageFramer.frame(ByteBufAllocator.DEFAULT, serialized, using, maxMessageSize);
            }
            return encodeMeasured(serialized, using);
        } catch (StatusRuntimeException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw Status.INTERNAL.withDescription("Failed to serialize the request message").withCause(e)
                    .asRuntimeException();
        }
    }

    /**
     * The size before compression of the message {@link #encode} framed last; only for an
     * encoder of a call with stream tracers.
     */
    int lastUncompressedBytes() {
        return lastUncompressedBytes;
    }

    private ByteBuf encodeMeasured(InputStream serialized, @Nullable Compressor using) throws IOException {
        if (using == null) {
            ByteBuf frame = MessageFramer.frame(ByteBufAllocator.DEFAULT, serialized, null, maxMessageSize);
            lastUncompressedBytes = frame.readableBytes() - MessageFramer.HEADER_LENGTH;
            return frame;
        }
        if (serialized instanceof KnownLength) {
            lastUncompressedBytes = serialized.available();
            return MessageFramer.frame(ByteBufAllocator.DEFAULT, serialized, using, maxMessageSize);
        }
        CountingInputStream counting = new CountingInputStream(serialized);
        ByteBuf frame = MessageFramer.frame(ByteBufAllocator.DEFAULT, counting, using, maxMessageSize);
        lastUncompressedBytes = (int) counting.count();
        return frame;
    }
}
