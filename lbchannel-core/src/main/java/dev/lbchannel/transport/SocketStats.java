package dev.lbchannel.transport;

import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * A point-in-time view of one connection for channelz. Counters are monotonic over the
 * connection's life.
 *
 * @param tls the TLS session's protocol, cipher suite and peer subject, or {@code null} for
 *     plaintext
 */
public record SocketStats(
        @Nullable SocketAddress local,
        SocketAddress remote,
        long streamsStarted,
        long streamsSucceeded,
        long streamsFailed,
        long messagesSent,
        long messagesReceived,
        long keepAlivesSent,
        @Nullable Instant lastStreamCreated,
        @Nullable Instant lastMessageSent,
        @Nullable Instant lastMessageReceived,
        long localFlowControlWindow,
        long remoteFlowControlWindow,
        @Nullable TlsSession tls) {
}
