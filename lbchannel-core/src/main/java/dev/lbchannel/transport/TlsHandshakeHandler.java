package dev.lbchannel.transport;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Status;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Waits for the TLS handshake, insists that ALPN chose {@code h2}, then puts the HTTP/2 handler in
 * its place. Anything decoded before that is held and passed on, in order, once HTTP/2 is in
 * place. A failed handshake or another protocol fails the transport UNAVAILABLE.
 * Event-loop confined.
 */
final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {

    private final NettyClientTransport transport;
    private final ChannelHandler http2Handler;
    private final List<Object> held = new ArrayList<>(2);
    private boolean done;

    TlsHandshakeHandler(NettyClientTransport transport, ChannelHandler http2Handler) {
        this.transport = transport;
        this.http2Handler = http2Handler;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof SslHandshakeCompletionEvent event) || done) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        done = true;
        if (!event.isSuccess()) {
            fail(ctx, handshakeFailed(event.cause()));
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        String protocol = ssl.applicationProtocol();
        if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            fail(ctx, Status.UNAVAILABLE.withDescription("TLS peer " + SocketAddresses.text(transport.remoteAddress())
                    + " did not negotiate h2 with ALPN (got " + protocol + ")"));
            return;
        }
        transport.tlsEstablished(ssl.engine().getSession());
        ctx.pipeline().addAfter(ctx.name(), null, http2Handler);
        for (Object msg : held) {
            ctx.fireChannelRead(msg);
        }
        held.clear();
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof NotSslRecordException || cause.getCause() instanceof NotSslRecordException) {
            fail(ctx, handshakeFailed(cause));
            return;
        }
        fail(ctx, Status.UNAVAILABLE.withDescription("TLS connection to " + SocketAddresses.text(transport.remoteAddress())
                + " failed: " + cause.getMessage()).withCause(cause));
    }

    private Status handshakeFailed(Throwable cause) {
        String peer = SocketAddresses.text(transport.remoteAddress());
        if (cause instanceof NotSslRecordException || cause.getCause() instanceof NotSslRecordException) {
            // The usual cause: a plaintext (h2c) server, which answers the ClientHello with an HTTP/2 GOAWAY.
            return Status.UNAVAILABLE.withDescription("TLS handshake with " + peer + " failed: the server does not speak"
                    + " TLS (its answer was not a TLS record). If it serves plaintext HTTP/2, set plaintext: true in the"
                    + " channel's settings (usePlaintext() on the builder).").withCause(cause);
        }
        return Status.UNAVAILABLE.withDescription("TLS handshake with " + peer + " failed: "
                + TlsFailures.describe(cause, transport.authority())).withCause(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (Object msg : held) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        held.clear();
    }

    private void fail(ChannelHandlerContext ctx, Status status) {
        transport.recordCloseCause(status);
        ctx.close();
    }
}
