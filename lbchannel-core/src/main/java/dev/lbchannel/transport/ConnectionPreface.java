package dev.lbchannel.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import org.jspecify.annotations.Nullable;

import static io.netty.handler.codec.http2.Http2Exception.connectionError;

/**
 * Both ends' connection prefaces (RFC 9113 §3.4): this client's, the preface string and its
 * SETTINGS (push off, its stream window, its header list limit), sent once the connection is up;
 * and the server's, which must begin with a SETTINGS frame. Anything else there (an HTTP/1.1
 * answer, another protocol) ends the connection before its bytes are read as frames.
 *
 * <p>Event-loop confined.
 */
final class ConnectionPreface {

    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int SETTINGS = 0x4;
    private static final int ACK = 0x1;

    /** This client's SETTINGS, until the preface carries them; not kept after. */
    private @Nullable Http2Settings settings;
    private boolean serverChecked;

    ConnectionPreface(TransportOptions options) {
        this.settings = new Http2Settings()
                .pushEnabled(false)
                .initialWindowSize(options.flowControlWindow())
                .maxHeaderListSize(options.maxInboundMetadataSize());
    }

    /** Writes and flushes this client's preface, once. */
    void send(ChannelHandlerContext ctx, ClientFrameWriter writer) {
        Http2Settings toSend = settings;
        if (toSend != null) {
            settings = null;
            writer.writePreface(ctx, toSend, ctx.newPromise());
            ctx.flush();
        }
    }

    /**
     * Whether {@code in} may be read as frames: the server's first frame header has arrived and
     * is a SETTINGS frame (checked once). Otherwise the input is dropped and the error thrown.
     *
     * @throws Http2Exception PROTOCOL_ERROR when the server's first frame is not SETTINGS
     */
    boolean serverPrefaceReceived(ByteBuf in) throws Http2Exception {
        if (serverChecked) {
            return true;
        }
        if (in.readableBytes() < FRAME_HEADER_LENGTH) {
            return false;
        }
        serverChecked = true;
        int type = in.getUnsignedByte(in.readerIndex() + 3);
        int flags = in.getUnsignedByte(in.readerIndex() + 4);
        if (type != SETTINGS || (flags & ACK) != 0) {
            String start = ByteBufUtil.hexDump(in, in.readerIndex(), 5);
            in.skipBytes(in.readableBytes());
            throw connectionError(Http2Error.PROTOCOL_ERROR,
                    "First received frame was not SETTINGS. Hex dump for first 5 bytes: %s", start);
        }
        return true;
    }
}
