package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import io.grpc.ConnectivityState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Asks channels to connect and waits, at most a bound for all of them together, until each is
 * READY: for the channels that connect on start-up, and for a refresh's new channels before they
 * take over. A channel that is not READY in time keeps connecting. Blocks the calling thread;
 * stateless.
 */
final class ReadyWait {

    private ReadyWait() {
    }

    /**
     * @return the channels not READY within {@code timeout}, as {@code name (STATE)}; empty when
     *     every one is
     */
    static List<String> await(Map<String, LbChannel> channels, Duration timeout) {
        CountDownLatch ready = new CountDownLatch(channels.size());
        channels.values().forEach(channel -> countWhenReady(channel, ready));
        try {
            if (ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return List.of();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> notReady = new ArrayList<>();
        channels.forEach((name, channel) -> {
            ConnectivityState state = channel.getState(false);
            if (state != ConnectivityState.READY) {
                notReady.add(name + " (" + state + ")");
            }
        });
        return notReady;
    }

    /**
     * Counts {@code ready} down once the channel is READY, following its state changes and asking
     * it to connect whenever it is IDLE.
     */
    private static void countWhenReady(LbChannel channel, CountDownLatch ready) {
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.READY) {
            ready.countDown();
        } else if (state != ConnectivityState.SHUTDOWN) {
            channel.notifyWhenStateChanged(state, () -> countWhenReady(channel, ready));
        }
    }
}
