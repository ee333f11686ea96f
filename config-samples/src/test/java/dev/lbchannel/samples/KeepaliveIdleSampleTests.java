package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.autoconfigure.ChannelProperties;
import dev.lbchannel.boot.autoconfigure.LbChannelProperties;
import dev.lbchannel.channelz.SocketSnapshot;
import dev.lbchannel.testing.Await;
import io.grpc.ConnectivityState;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/keepalive-idle.yml}, against a grpc-java server that permits the sample's pings
 * as its comment asks. The sample's own times (30 s, 5 min) are checked as bound; to watch a ping
 * and the idle timeout within a test's time, two tests shorten them on the command line with the
 * same property names: keepalive.time to 10 s (the least allowed) and idle.timeout to 1 s.
 */
@Timeout(60)
class KeepaliveIdleSampleTests {

    private final GrpcBackend backend = GrpcBackend.builder().permitKeepAlive(Duration.ofSeconds(5)).start();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backend.close();
    }

    @Test
    void theSampleBindsAsWrittenAndServesCalls() {
        LbChannel notifications = start();

        call(notifications);

        ChannelProperties channel = sample.bean(LbChannelProperties.class).getChannels().get("notifications");
        assertThat(channel.getKeepalive().getTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(channel.getKeepalive().getTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(channel.getKeepalive().getWithoutCalls()).isTrue();
        assertThat(channel.getIdle().getTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(notifications.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    @Test
    void aQuietConnectionIsPingedAndKeptOpen() {
        LbChannel notifications = start("lbchannel.channels.notifications.keepalive.time=10s");
        call(notifications);
        long socket = sockets(notifications).get(0).id();

        // No call is in flight from here on: the ping comes from without-calls: true.
        Await.until("a keepalive ping", Duration.ofSeconds(30),
                () -> sockets(notifications).stream().anyMatch(s -> s.stats().keepAlivesSent() > 0));

        assertThat(sockets(notifications)).extracting(SocketSnapshot::id).containsExactly(socket);
        call(notifications);
        assertThat(sockets(notifications)).extracting(SocketSnapshot::id).containsExactly(socket);
    }

    @Test
    void theChannelGoesIdleWithoutCallsAndReconnectsForTheNext() {
        LbChannel notifications = start("lbchannel.channels.notifications.idle.timeout=1s");
        call(notifications);

        ChannelConditions.awaitState(notifications, ConnectivityState.IDLE);

        // Going idle closes the connections; the subchannel lets them go asynchronously.
        Await.until("the connection to close", () -> sockets(notifications).isEmpty());
        call(notifications);
        assertThat(notifications.getState(false)).isEqualTo(ConnectivityState.READY);
        assertThat(backend.callsStarted()).isEqualTo(2);
    }

    private LbChannel start(String... overrides) {
        String[] properties = new String[overrides.length + 1];
        properties[0] = "notifications.address=" + backend.address();
        System.arraycopy(overrides, 0, properties, 1, overrides.length);
        sample = Sample.start("keepalive-idle", properties);
        return sample.channel("notifications");
    }

    private static List<SocketSnapshot> sockets(LbChannel channel) {
        return channel.snapshot().subchannels().stream().flatMap(s -> s.sockets().stream()).toList();
    }

    private static void call(LbChannel channel) {
        TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
    }
}
