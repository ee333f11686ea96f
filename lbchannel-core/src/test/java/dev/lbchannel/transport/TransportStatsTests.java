package dev.lbchannel.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection's counters: every event counted at once, the last-event times once per batch. */
class TransportStatsTests {

    private static final SocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 443);

    @Test
    void eventsAreCountedAtOnceAndTimedWhenTheBatchIsStamped() {
        TransportStats stats = new TransportStats();
        stats.streamStarted();
        stats.messageSent();
        stats.messageReceived();
        stats.messageReceived();

        SocketStats before = stats.snapshot(REMOTE);
        assertThat(before.streamsStarted()).isEqualTo(1);
        assertThat(before.messagesSent()).isEqualTo(1);
        assertThat(before.messagesReceived()).isEqualTo(2);
        assertThat(before.lastStreamCreated()).isNull();
        assertThat(before.lastMessageReceived()).isNull();

        stats.stampTimes();

        SocketStats after = stats.snapshot(REMOTE);
        assertThat(after.lastStreamCreated()).isNotNull();
        assertThat(after.lastMessageSent()).isNotNull();
        assertThat(after.lastMessageReceived()).isNotNull();
    }

    @Test
    void aStampMovesOnlyTheTimesOfKindsCountedSinceTheLast() throws InterruptedException {
        TransportStats stats = new TransportStats();
        stats.messageSent();
        stats.messageReceived();
        stats.stampTimes();
        SocketStats first = stats.snapshot(REMOTE);

        long stampedAt = System.currentTimeMillis();
        while (System.currentTimeMillis() == stampedAt) {
            Thread.sleep(1); // the next stamp must fall in a later millisecond to be told apart
        }
        stats.messageReceived();
        stats.stampTimes();
        stats.stampTimes(); // nothing new: changes nothing

        SocketStats second = stats.snapshot(REMOTE);
        assertThat(second.lastMessageSent()).isEqualTo(first.lastMessageSent());
        assertThat(second.lastMessageReceived()).isAfter(first.lastMessageReceived());
        assertThat(second.lastStreamCreated()).isNull();
    }
}
