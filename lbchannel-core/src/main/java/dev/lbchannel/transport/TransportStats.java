package dev.lbchannel.transport;

import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * The counters behind {@link SocketStats}. Written only by the connection's event loop (one
 * writer, so plain increments of volatile fields are safe) and read from any thread without
 * locking; a snapshot may mix values from a few microseconds apart, which channelz tolerates.
 */
final class TransportStats {

    private volatile long streamsStarted;
    private volatile long streamsSucceeded;
    private volatile long streamsFailed;
    private volatile long messagesSent;
    private volatile long messagesReceived;
    private volatile long keepAlivesSent;
    private volatile long lastStreamCreatedMillis;
    private volatile long lastMessageSentMillis;
    private volatile long lastMessageReceivedMillis;
    private volatile long localWindow;
    private volatile long remoteWindow;
    private volatile @Nullable SocketAddress localAddress;
    private volatile @Nullable TlsSession tls;

    void streamStarted() {
        streamsStarted++;
        lastStreamCreatedMillis = System.currentTimeMillis();
    }

    void streamEnded(boolean succeeded) {
        if (succeeded) {
            streamsSucceeded++;
        } else {
            streamsFailed++;
        }
    }

    void messageSent() {
        messagesSent++;
        lastMessageSentMillis = System.currentTimeMillis();
    }

    void messageReceived() {
        messagesReceived++;
        lastMessageReceivedMillis = System.currentTimeMillis();
    }

    void keepAliveSent() {
        keepAlivesSent++;
    }

    void windows(long local, long remote) {
        localWindow = local;
        remoteWindow = remote;
    }

    void localAddress(@Nullable SocketAddress address) {
        localAddress = address;
    }

    void tls(TlsSession session) {
        tls = session;
    }

    long keepAlivesSent() {
        return keepAlivesSent;
    }

    SocketStats snapshot(SocketAddress remote) {
        return new SocketStats(localAddress, remote, streamsStarted, streamsSucceeded, streamsFailed,
                messagesSent, messagesReceived, keepAlivesSent, instant(lastStreamCreatedMillis),
                instant(lastMessageSentMillis), instant(lastMessageReceivedMillis), localWindow,
                remoteWindow, tls);
    }

    private static @Nullable Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
