package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.transport.SocketStats;
import dev.lbchannel.transport.TlsSession;
import org.jspecify.annotations.Nullable;

/**
 * One connection of a subchannel: addresses, stream and message counts with their last times,
 * keepalives sent, HTTP/2 flow-control windows, and for TLS the session's protocol, cipher suite and
 * peer certificate subject (never key material), both as one line ({@code security}) and field by
 * field ({@code tls}). Both are {@code null} for plaintext.
 */
public record SocketDescriptor(long id, @Nullable String local, @Nullable String remote, Streams streams,
        Messages messages, long keepAlivesSent, FlowControl flowControl, @Nullable String security,
        @Nullable Tls tls) {

    /** Streams (calls) carried by the connection. */
    public record Streams(long started, long succeeded, long failed, @Nullable String lastStarted) {
    }

    /** Messages written and read on the connection. */
    public record Messages(long sent, long received, @Nullable String lastSent, @Nullable String lastReceived) {
    }

    /** The connection-level HTTP/2 flow-control windows, in bytes. */
    public record FlowControl(long localWindow, long remoteWindow) {
    }

    /** The TLS session; {@code peerSubject} is {@code null} when the peer's certificate was not verified. */
    public record Tls(String protocol, String cipher, @Nullable String peerSubject) {

        static @Nullable Tls of(@Nullable TlsSession session) {
            return session == null ? null : new Tls(session.protocol(), session.cipherSuite(), session.peerSubject());
        }
    }

    static SocketDescriptor of(SocketSnapshot socket) {
        SocketStats stats = socket.stats();
        return new SocketDescriptor(socket.id(),
                SocketAddresses.text(stats.local()),
                SocketAddresses.text(stats.remote()),
                new Streams(stats.streamsStarted(), stats.streamsSucceeded(), stats.streamsFailed(),
                        Timestamps.iso(stats.lastStreamCreated())),
                new Messages(stats.messagesSent(), stats.messagesReceived(),
                        Timestamps.iso(stats.lastMessageSent()), Timestamps.iso(stats.lastMessageReceived())),
                stats.keepAlivesSent(),
                new FlowControl(stats.localFlowControlWindow(), stats.remoteFlowControlWindow()),
                stats.tls() == null ? null : stats.tls().toString(),
                Tls.of(stats.tls()));
    }
}
