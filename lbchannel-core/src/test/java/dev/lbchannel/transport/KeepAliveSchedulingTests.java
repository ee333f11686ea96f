package dev.lbchannel.transport;

import dev.lbchannel.testing.FakeScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KeepAlive}'s timing (gRFC A8) on a fake clock: every assertion is about an exact
 * instant, and no test waits for real time. The transport side (PINGs on the wire, the
 * connection shut down) is {@link KeepAliveTests}'.
 */
@Timeout(10)
class KeepAliveSchedulingTests {

    private static final long TIME = TimeUnit.SECONDS.toNanos(10);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(3);

    private final FakeScheduler clock = new FakeScheduler();
    private final RecordingHost host = new RecordingHost();

    private KeepAlive started(boolean withoutCalls) {
        KeepAlive keepAlive = new KeepAlive(host, clock, clock::nowNanos, TIME, TIMEOUT, withoutCalls);
        keepAlive.start();
        return keepAlive;
    }

    @Test
    void pingsAfterTimeWithoutReads() {
        started(false);

        clock.forwardNanos(TIME - 1);
        assertThat(host.pings).isEmpty();
        clock.forwardNanos(1);
        assertThat(host.pings).containsExactly(TIME);
        assertThat(host.pingData).containsExactly(KeepAlive.PING_DATA);
    }

    @Test
    void noPingWhileReadsArrive() {
        KeepAlive keepAlive = started(false);

        for (int i = 0; i < 5; i++) {
            clock.forwardNanos(TIME / 2);
            keepAlive.onRead();
        }
        assertThat(host.pings).isEmpty();

        clock.forwardNanos(TIME);
        assertThat(host.pings).containsExactly(TIME / 2 * 5 + TIME);
    }

    @Test
    void deadAfterTimeoutWithoutAck() {
        started(false);
        clock.forwardNanos(TIME);

        clock.forwardNanos(TIMEOUT - 1);
        assertThat(host.failures).isEmpty();
        clock.forwardNanos(1);
        assertThat(host.failures).containsExactly(TIME + TIMEOUT);

        clock.forwardNanos(10 * TIME);
        assertThat(host.pings).hasSize(1);
        assertThat(clock.pendingDelaysNanos()).isEmpty();
    }

    @Test
    void ackResetsTheTimerFromItsArrival() {
        KeepAlive keepAlive = started(false);
        clock.forwardNanos(TIME);
        clock.forwardNanos(TIMEOUT / 3);

        keepAlive.onPingAck(KeepAlive.PING_DATA);
        clock.forwardNanos(TIMEOUT);
        assertThat(host.failures).isEmpty();

        clock.forwardNanos(TIME - TIMEOUT - 1);
        assertThat(host.pings).hasSize(1);
        clock.forwardNanos(1);
        assertThat(host.pings).containsExactly(TIME, 2 * TIME + TIMEOUT / 3);
    }

    @Test
    void ackOfAnotherPingIsNotOurs() {
        KeepAlive keepAlive = started(false);
        clock.forwardNanos(TIME);

        keepAlive.onPingAck(KeepAlive.PING_DATA + 1);
        clock.forwardNanos(TIMEOUT);
        assertThat(host.failures).containsExactly(TIME + TIMEOUT);
    }

    @Test
    void anyReadAfterThePingProvesThePeerAlive() {
        KeepAlive keepAlive = started(false);
        clock.forwardNanos(TIME);
        clock.forwardNanos(1);
        keepAlive.onRead();

        clock.forwardNanos(TIMEOUT);
        assertThat(host.failures).isEmpty();
        assertThat(host.pings).containsExactly(TIME);

        clock.forwardNanos(TIME - TIMEOUT - 1);
        assertThat(host.pings).containsExactly(TIME);
        clock.forwardNanos(1);
        assertThat(host.pings).containsExactly(TIME, 2 * TIME + 1);
    }

    @Test
    void aReadBeforeThePingDoesNotCountAsItsAnswer() {
        KeepAlive keepAlive = started(false);
        clock.forwardNanos(TIME - 1);
        keepAlive.onRead();
        clock.forwardNanos(TIME);
        assertThat(host.pings).containsExactly(2 * TIME - 1);

        clock.forwardNanos(TIMEOUT);
        assertThat(host.failures).containsExactly(2 * TIME - 1 + TIMEOUT);
    }

    @Test
    void noPingWithoutCallsUnlessWithoutCalls() {
        host.activeStreams = false;
        started(false);
        clock.forwardNanos(3 * TIME);
        assertThat(host.pings).isEmpty();

        host.activeStreams = true;
        clock.forwardNanos(TIME);
        assertThat(host.pings).containsExactly(4 * TIME);
    }

    @Test
    void withoutCallsPingsWhileIdle() {
        host.activeStreams = false;
        KeepAlive keepAlive = started(true);

        clock.forwardNanos(TIME);
        assertThat(host.pings).containsExactly(TIME);
        keepAlive.onPingAck(KeepAlive.PING_DATA);
        clock.forwardNanos(TIME);
        assertThat(host.pings).containsExactly(TIME, 2 * TIME);
        assertThat(host.failures).isEmpty();
    }

    @Test
    void stopCancelsTheTimerAndStartAfterStopDoesNothing() {
        KeepAlive keepAlive = started(false);
        keepAlive.stop();
        assertThat(clock.pendingDelaysNanos()).isEmpty();

        keepAlive.start();
        clock.forwardNanos(10 * TIME);
        assertThat(host.pings).isEmpty();
        assertThat(host.failures).isEmpty();
    }

    @Test
    void nothingIsScheduledBeforeStart() {
        new KeepAlive(host, clock, clock::nowNanos, TIME, TIMEOUT, true);
        assertThat(clock.pendingDelaysNanos()).isEmpty();
    }

    /** Records when (on the fake clock) it was asked to ping and declared dead. */
    private final class RecordingHost implements KeepAlive.Host {
        final List<Long> pings = new ArrayList<>();
        final List<Long> pingData = new ArrayList<>();
        final List<Long> failures = new ArrayList<>();
        boolean activeStreams = true;

        @Override
        public boolean hasActiveStreams() {
            return activeStreams;
        }

        @Override
        public void sendPing(long data) {
            pings.add(clock.nowNanos());
            pingData.add(data);
        }

        @Override
        public void keepAliveFailed(long timeoutNanos) {
            assertThat(timeoutNanos).isEqualTo(TIMEOUT);
            failures.add(clock.nowNanos());
        }
    }
}
