package dev.lbchannel.transport;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * On a plaintext connection, tells a TLS server from an HTTP/2 one by the server's first bytes,
 * so that a channel that forgot its TLS settings fails with a status that names them rather than
 * a bare "connection closed". A TLS server answers the HTTP/2 preface with a TLS alert (or closes
 * without a word); an HTTP/2 server's first bytes are a SETTINGS frame. Removes itself after the
 * first read; a close before any read is explained by the transport with {@link #closedUnanswered}.
 */
final class PlaintextPeerCheck extends ChannelInboundHandlerAdapter {

    /** TLS record types a server may answer a non-TLS client with: alert, handshake. */
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    private final NettyClientTransport transport;

    PlaintextPeerCheck(NettyClientTransport transport) {
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.pipeline().remove(this);
        transport.peerAnswered();
        if (msg instanceof ByteBuf bytes && looksLikeTls(bytes)) {
            ReferenceCountUtil.release(msg);
            transport.recordCloseCause(speaksTls(transport, "answered with a TLS record"));
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Why a plaintext connection closed before the server said anything: what a TLS server does
     * with an HTTP/2 preface (the JDK's engine closes without an alert).
     */
    static Status closedUnanswered(NettyClientTransport transport) {
        return speaksTls(transport, "closed the connection without answering the HTTP/2 preface");
    }

    private static boolean looksLikeTls(ByteBuf bytes) {
        if (bytes.readableBytes() < 2) {
            return false;
        }
        int type = bytes.getUnsignedByte(bytes.readerIndex());
        return (type == TLS_ALERT || type == TLS_HANDSHAKE)
                && bytes.getUnsignedByte(bytes.readerIndex() + 1) == TLS_MAJOR_VERSION;
    }

    private static Status speaksTls(NettyClientTransport transport, String what) {
        return Status.UNAVAILABLE.withDescription("Plaintext connection to " + SocketAddresses.text(transport.remoteAddress())
                + " failed: the server " + what + ", as a server that speaks TLS does. If it uses TLS, remove"
                + " plaintext: true from the channel's settings (usePlaintext() on the builder) and give its trust"
                + " in the ssl settings.");
    }
}
