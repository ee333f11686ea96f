package dev.lbchannel;

import dev.lbchannel.transport.MessageFramer;
import io.grpc.CallOptions;
import io.grpc.Codec;
import io.grpc.Compressor;
import io.grpc.CompressorRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Turns one call's request messages into framed buffers on the application's thread:
 * serialized by the method's marshaller, compressed with the call's compressor unless the
 * application turned compression off, and held to the call's outbound size limit.
 */
final class RequestEncoder<ReqT> {

    private final MethodDescriptor<ReqT, ?> method;
    private final @Nullable Compressor compressor;
    private final int maxMessageSize;
    private volatile boolean compress = true;

    private RequestEncoder(MethodDescriptor<ReqT, ?> method, @Nullable Compressor compressor, int maxMessageSize) {
        this.method = method;
        this.compressor = compressor;
        this.maxMessageSize = maxMessageSize;
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
        return new RequestEncoder<>(method, compressor, max == null ? Integer.MAX_VALUE : max);
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
            return MessageFramer.frame(ByteBufAllocator.DEFAULT, method.streamRequest(message),
                    compress ? compressor : null, maxMessageSize);
        } catch (StatusRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Status.INTERNAL.withDescription("Failed to serialize the request message").withCause(e)
                    .asRuntimeException();
        }
    }
}
