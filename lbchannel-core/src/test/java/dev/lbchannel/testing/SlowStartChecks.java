package dev.lbchannel.testing;

import dev.lbchannel.LbChannel;
import dev.lbchannel.balancer.slowstart.SlowStartHelper;
import dev.lbchannel.channelz.SubchannelSnapshot;
import io.grpc.ConnectivityState;

import java.time.Duration;

/** What the slow-start end-to-end tests of each policy wait for and read, from the channel's snapshot. */
public final class SlowStartChecks {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private SlowStartChecks() {
    }

    /** Waits until {@code n} of the channel's subchannels are READY. */
    public static void awaitReady(LbChannel channel, int n) {
        Await.until(n + " READY subchannels", BOUND, () -> channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).count() == n);
    }

    /** Waits until the last picker gave the backend on {@code port} the factor {@code percent}. */
    public static void awaitFactor(LbChannel channel, int port, long percent) {
        Await.until("slow-start factor " + percent + " % for port " + port, BOUND,
                () -> factor(channel, port) == percent);
    }

    /** The slow-start factor, in percent, channelz shows for the backend on {@code port}; negative if none. */
    public static long factor(LbChannel channel, int port) {
        for (SubchannelSnapshot s : channel.snapshot().subchannels()) {
            if (s.addresses().contains("127.0.0.1:" + port)) {
                return s.balancer().getOrDefault(SlowStartHelper.GAUGE, -1L);
            }
        }
        return -2;
    }
}
