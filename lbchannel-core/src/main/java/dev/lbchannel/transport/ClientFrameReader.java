package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Settings;
import org.jspecify.annotations.Nullable;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;
import static io.netty.handler.codec.http2.Http2Exception.streamError;

/**
 * Parses the frames a server sends (RFC 9113 §4 and §6) and hands them to a listener, for the
 * client side of one connection. It replaces Netty's general-purpose reader because that one
 * allocates several objects per frame (a flags object, a payload slice, and per HEADERS frame a
 * continuation and a block builder), which a unary call pays three times. Here a frame costs
 * nothing but what the listener needs: a slice for DATA, the header list for HEADERS. A header
 * block split over CONTINUATION frames is gathered into one buffer first, as it must be.
 *
 * <p>Checks what the frame layer owns: sizes, stream-id zero or not, padding, CONTINUATION
 * order, and server push, which this client disables (§8.4: PUSH_PROMISE is then a connection
 * error). Stream states are the connection decoder's concern. A frame's bytes are consumed
 * before it is dispatched, so that a stream error leaves the input at the next frame; after a
 * connection error the rest of the input is discarded.
 *
 * <p>Event-loop confined.
 */
final class ClientFrameReader implements Http2FrameReader, Http2FrameReader.Configuration, Http2FrameSizePolicy {

    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int PRIORITY = 0x2;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PUSH_PROMISE = 0x5;
    private static final int PING = 0x6;
    private static final int GO_AWAY = 0x7;
    private static final int WINDOW_UPDATE = 0x8;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY_FLAG = 0x20;

    private final Http2HeadersDecoder headersDecoder;
    private int maxFrameSize = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;
    private boolean failed;

    /** A header block awaiting CONTINUATION frames; {@code null} when none is. */
    private @Nullable ByteBuf pendingBlock;
    private int pendingStreamId;
    private boolean pendingEndStream;
    private boolean pendingHasPriority;
    private int pendingDependency;
    private short pendingWeight;
    private boolean pendingExclusive;
    private int pendingPadding;

    ClientFrameReader(Http2HeadersDecoder headersDecoder) {
        this.headersDecoder = headersDecoder;
    }

    @Override
    public void readFrame(ChannelHandlerContext ctx, ByteBuf input, Http2FrameListener listener) throws Http2Exception {
        if (failed) {
            input.skipBytes(input.readableBytes());
            return;
        }
        try {
            while (input.readableBytes() >= FRAME_HEADER_LENGTH) {
                int start = input.readerIndex();
                int length = input.getUnsignedMedium(start);
                if (length > maxFrameSize) {
                    throw connectionError(Http2Error.FRAME_SIZE_ERROR, "Frame length %d exceeds maximum %d",
                            length, maxFrameSize);
                }
                if (input.readableBytes() < FRAME_HEADER_LENGTH + length) {
                    return;
                }
                int type = input.getUnsignedByte(start + 3);
                int flags = input.getUnsignedByte(start + 4);
                int streamId = input.getInt(start + 5) & Integer.MAX_VALUE;
                int payload = start + FRAME_HEADER_LENGTH;
                input.readerIndex(payload + length); // consumed before dispatch: see the class comment
                dispatch(ctx, input, payload, length, type, flags, streamId, listener);
            }
        } catch (Http2Exception e) {
            failed = !(e instanceof Http2Exception.StreamException);
            throw e;
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void dispatch(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int type, int flags,
            int streamId, Http2FrameListener listener) throws Http2Exception {
        if (pendingBlock != null && type != CONTINUATION) {
            throw connectionError(Http2Error.PROTOCOL_ERROR,
                    "Frame of type %d while expecting CONTINUATION for stream %d", type, pendingStreamId);
        }
        switch (type) {
            case DATA -> readData(ctx, in, payload, length, flags, requireStream(streamId, type), listener);
            case HEADERS -> readHeaders(ctx, in, payload, length, flags, requireStream(streamId, type), listener);
            case PRIORITY -> readPriority(ctx, in, payload, length, requireStream(streamId, type), listener);
            case RST_STREAM -> {
                requireStream(streamId, type);   // before the length, as Netty's reader checks
                requireLength(length, 4, type);
                listener.onRstStreamRead(ctx, streamId, in.getUnsignedInt(payload));
            }
            case SETTINGS -> readSettings(ctx, in, payload, length, flags, requireConnection(streamId, type), listener);
            case PUSH_PROMISE -> throw connectionError(Http2Error.PROTOCOL_ERROR, "Server push is disabled");
            case PING -> {
                requireConnection(streamId, type);
                requireLength(length, 8, type);
                if ((flags & ACK) != 0) {
                    listener.onPingAckRead(ctx, in.getLong(payload));
                } else {
                    listener.onPingRead(ctx, in.getLong(payload));
                }
            }
            case GO_AWAY -> readGoAway(ctx, in, payload, length, requireConnection(streamId, type), listener);
            case WINDOW_UPDATE -> readWindowUpdate(ctx, in, payload, length, streamId, listener);
            case CONTINUATION -> readContinuation(ctx, in, payload, length, flags, streamId, listener);
            default -> listener.onUnknownFrame(ctx, (byte) type, streamId, new Http2Flags((short) flags),
                    in.slice(payload, length));
        }
    }

    private void readData(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int flags, int streamId,
            Http2FrameListener listener) throws Http2Exception {
        int padding = padding(in, payload, length, flags);
        int offset = padding == 0 ? 0 : 1;
        int dataLength = unpadded(length - offset, padding);
        listener.onDataRead(ctx, streamId, in.slice(payload + offset, dataLength), padding,
                (flags & END_STREAM) != 0);
    }

    private void readHeaders(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int flags, int streamId,
            Http2FrameListener listener) throws Http2Exception {
        int padding = padding(in, payload, length, flags);
        int offset = padding == 0 ? 0 : 1;
        boolean hasPriority = (flags & PRIORITY_FLAG) != 0;
        int dependency = 0;
        short weight = Http2CodecUtil.DEFAULT_PRIORITY_WEIGHT;
        boolean exclusive = false;
        if (hasPriority) {
            if (length - offset < 5) {
                throw connectionError(Http2Error.FRAME_SIZE_ERROR, "HEADERS frame too short for its priority");
            }
            long word = in.getUnsignedInt(payload + offset);
            exclusive = (word & 0x80000000L) != 0;
            dependency = (int) (word & Integer.MAX_VALUE);
            weight = (short) (in.getUnsignedByte(payload + offset + 4) + 1);
            if (dependency == streamId) {
                // A stream error in §5.3.1, but thrown here the header block would go undecoded and
                // the HPACK tables of the two ends would part: only the connection can end here.
                throw connectionError(Http2Error.PROTOCOL_ERROR, "HEADERS for stream %d depend on that stream",
                        streamId);
            }
            offset += 5;
        }
        int blockLength = unpadded(length - offset, padding);
        boolean endStream = (flags & END_STREAM) != 0;
        if ((flags & END_HEADERS) == 0) {
            pendingBlock = ctx.alloc().buffer(blockLength * 2);
            pendingBlock.writeBytes(in, payload + offset, blockLength);
            pendingStreamId = streamId;
            pendingEndStream = endStream;
            pendingHasPriority = hasPriority;
            pendingDependency = dependency;
            pendingWeight = weight;
            pendingExclusive = exclusive;
            pendingPadding = padding;
            checkBlockSize(pendingBlock.readableBytes());
            return;
        }
        Http2Headers headers = decodeInPlace(in, payload + offset, blockLength, streamId);
        deliverHeaders(ctx, listener, streamId, headers, hasPriority, dependency, weight, exclusive, padding, endStream);
    }

    private void readContinuation(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int flags,
            int streamId, Http2FrameListener listener) throws Http2Exception {
        ByteBuf block = pendingBlock;
        if (block == null || streamId != pendingStreamId) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "Unexpected CONTINUATION for stream %d", streamId);
        }
        checkBlockSize((long) block.readableBytes() + length);
        block.writeBytes(in, payload, length);
        if ((flags & END_HEADERS) == 0) {
            return;
        }
        pendingBlock = null;
        Http2Headers headers;
        try {
            headers = headersDecoder.decodeHeaders(streamId, block);
        } finally {
            block.release();
        }
        deliverHeaders(ctx, listener, streamId, headers, pendingHasPriority, pendingDependency, pendingWeight,
                pendingExclusive, pendingPadding, pendingEndStream);
    }

    private static void deliverHeaders(ChannelHandlerContext ctx, Http2FrameListener listener, int streamId,
            Http2Headers headers, boolean hasPriority, int dependency, short weight, boolean exclusive, int padding,
            boolean endStream) throws Http2Exception {
        if (hasPriority) {
            listener.onHeadersRead(ctx, streamId, headers, dependency, weight, exclusive, padding, endStream);
        } else {
            listener.onHeadersRead(ctx, streamId, headers, padding, endStream);
        }
    }

    /**
     * Decodes a header block where it lies. HPACK reads its input to the end, so the input's end
     * is moved to the block's for the call and put back after: no slice per block. HPACK copies
     * what it keeps, so nothing refers to the input afterwards.
     */
    private Http2Headers decodeInPlace(ByteBuf in, int index, int length, int streamId) throws Http2Exception {
        int reader = in.readerIndex();
        int writer = in.writerIndex();
        in.setIndex(index, index + length);
        try {
            return headersDecoder.decodeHeaders(streamId, in);
        } finally {
            in.setIndex(reader, writer);
        }
    }

    private void readPriority(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int streamId,
            Http2FrameListener listener) throws Http2Exception {
        if (length != 5) {
            throw streamError(streamId, Http2Error.FRAME_SIZE_ERROR, "Invalid PRIORITY frame length %d", length);
        }
        long word = in.getUnsignedInt(payload);
        int dependency = (int) (word & Integer.MAX_VALUE);
        if (dependency == streamId) {
            throw streamError(streamId, Http2Error.PROTOCOL_ERROR, "A stream cannot depend on itself");
        }
        listener.onPriorityRead(ctx, streamId, dependency, (short) (in.getUnsignedByte(payload + 4) + 1),
                (word & 0x80000000L) != 0);
    }

    private static void readSettings(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int flags,
            int streamId, Http2FrameListener listener) throws Http2Exception {
        if ((flags & ACK) != 0) {
            if (length != 0) {
                throw connectionError(Http2Error.FRAME_SIZE_ERROR, "SETTINGS acknowledgement with a payload");
            }
            listener.onSettingsAckRead(ctx);
            return;
        }
        if (length % 6 != 0) {
            throw connectionError(Http2Error.FRAME_SIZE_ERROR, "SETTINGS length %d is not a multiple of 6", length);
        }
        Http2Settings settings = new Http2Settings();
        for (int at = payload; at < payload + length; at += 6) {
            char id = (char) in.getUnsignedShort(at);
            long value = in.getUnsignedInt(at + 2);
            try {
                settings.put(id, Long.valueOf(value));
            } catch (IllegalArgumentException e) {
                // §6.5.2: an initial window over 2^31-1 is a flow-control error, the rest protocol errors
                throw connectionError(id == Http2CodecUtil.SETTINGS_INITIAL_WINDOW_SIZE
                        ? Http2Error.FLOW_CONTROL_ERROR : Http2Error.PROTOCOL_ERROR, e,
                        "Invalid SETTINGS value %d for %d", value, (int) id);
            }
        }
        listener.onSettingsRead(ctx, settings);
    }

    private static void readGoAway(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int streamId,
            Http2FrameListener listener) throws Http2Exception {
        if (length < 8) {
            throw connectionError(Http2Error.FRAME_SIZE_ERROR, "GOAWAY frame too short: %d", length);
        }
        int lastStreamId = in.getInt(payload) & Integer.MAX_VALUE;
        listener.onGoAwayRead(ctx, lastStreamId, in.getUnsignedInt(payload + 4), in.slice(payload + 8, length - 8));
    }

    private static void readWindowUpdate(ChannelHandlerContext ctx, ByteBuf in, int payload, int length, int streamId,
            Http2FrameListener listener) throws Http2Exception {
        requireLength(length, 4, WINDOW_UPDATE);
        int increment = in.getInt(payload) & Integer.MAX_VALUE;
        if (increment == 0) {
            if (streamId == 0) {
                throw connectionError(Http2Error.PROTOCOL_ERROR, "WINDOW_UPDATE of 0 for the connection");
            }
            throw streamError(streamId, Http2Error.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
        }
        listener.onWindowUpdateRead(ctx, streamId, increment);
    }

    /** The padding a frame reports (its pad-length byte included, as flow control counts it), or 0. */
    private static int padding(ByteBuf in, int payload, int length, int flags) throws Http2Exception {
        if ((flags & PADDED) == 0) {
            return 0;
        }
        if (length < 1) {
            throw connectionError(Http2Error.FRAME_SIZE_ERROR, "Padded frame without a pad length");
        }
        return in.getUnsignedByte(payload) + 1;
    }

    /** {@code length} (after the pad-length byte) less the trailing padding; §6.1: padding must fit. */
    private static int unpadded(int length, int padding) throws Http2Exception {
        int result = padding == 0 ? length : length - (padding - 1);
        if (result < 0) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "Frame payload too small for its padding");
        }
        return result;
    }

    private void checkBlockSize(long bytes) throws Http2Exception {
        long limit = headersDecoder.configuration().maxHeaderListSizeGoAway();
        if (bytes > limit) {
            Http2CodecUtil.headerListSizeExceeded(limit);
        }
    }

    private static int requireStream(int streamId, int type) throws Http2Exception {
        if (streamId == 0) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "Frame of type %d must be on a stream", type);
        }
        return streamId;
    }

    private static int requireConnection(int streamId, int type) throws Http2Exception {
        if (streamId != 0) {
            throw connectionError(Http2Error.PROTOCOL_ERROR, "Frame of type %d must be on stream 0", type);
        }
        return streamId;
    }

    private static void requireLength(int length, int expected, int type) throws Http2Exception {
        if (length != expected) {
            throw connectionError(Http2Error.FRAME_SIZE_ERROR, "Frame of type %d has length %d, not %d",
                    type, length, expected);
        }
    }

    // ---- Configuration and size policy ----

    @Override
    public Configuration configuration() {
        return this;
    }

    @Override
    public Http2HeadersDecoder.Configuration headersConfiguration() {
        return headersDecoder.configuration();
    }

    @Override
    public Http2FrameSizePolicy frameSizePolicy() {
        return this;
    }

    @Override
    public void maxFrameSize(int max) throws Http2Exception {
        if (!Http2CodecUtil.isMaxFrameSizeValid(max)) {
            throw connectionError(Http2Error.FRAME_SIZE_ERROR, "Invalid MAX_FRAME_SIZE %d", max);
        }
        maxFrameSize = max;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public void close() {
        ByteBuf block = pendingBlock;
        pendingBlock = null;
        if (block != null) {
            block.release();
        }
    }
}
