package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/slow-start.yml}: the first backends warm up without a ramp; a restarted one comes
 * back at about 10 % of its share, as channelz shows, early in its 60 s window.
 */
@Timeout(120)
class SlowStartSampleTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private Sample sample;

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
    }

    @Test
    void aRestartedBackendComesBackSlowly() {
        for (int i = 0; i < 3; i++) {
            backends.add(TestBackend.plaintext());
        }
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("slow-start", "catalog.addresses=" + addresses);
        LbChannel catalog = sample.channel("catalog");
        ChannelConditions.awaitReadySubchannels(catalog, 3);
        assertThat(catalog.snapshot().subchannels()).allSatisfy(s -> assertThat(factor(s)).isEqualTo(100));

        TestBackend restarted = backends.get(2);
        restarted.kill();
        Await.until("the backend's subchannel leaves READY", () -> ChannelConditions.readySubchannels(catalog).size() == 2);
        restarted.restart();
        ChannelConditions.awaitReadySubchannels(catalog, 3);

        int before = restarted.callsStarted();
        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(catalog);
        for (int i = 0; i < 630; i++) {
            try {
                stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                throw new AssertionError("call " + i, e);
            }
        }
        int share = restarted.callsStarted() - before;
        // about 0.1 / 2.1 of 630 (30) in the window's first seconds, where round_robin would send 210
        assertThat(share).as("calls to the restarted backend of 630").isLessThan(70);
        SubchannelSnapshot ramping = ChannelConditions.readySubchannels(catalog).stream()
                .filter(s -> s.addresses().contains("127.0.0.1:" + restarted.port())).findFirst().orElseThrow();
        assertThat(factor(ramping)).isLessThan(30);
        assertThat(catalog.getState(false)).isEqualTo(ConnectivityState.READY);
    }

    private static long factor(SubchannelSnapshot subchannel) {
        return subchannel.balancer().getOrDefault("slowStartFactor", -1L);
    }
}
