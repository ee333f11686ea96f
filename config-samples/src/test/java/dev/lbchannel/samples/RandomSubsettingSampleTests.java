package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.testing.TestBackend;
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

/** {@code samples/random-subsetting.yml}: of six backends, three get every call, a third each. */
@Timeout(120)
class RandomSubsettingSampleTests {

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
    void aStableSubsetOfThreeGetsEveryCall() {
        for (int i = 0; i < 6; i++) {
            backends.add(TestBackend.plaintext());
        }
        String addresses = backends.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
        sample = Sample.start("random-subsetting", "inventory.addresses=" + addresses);
        LbChannel inventory = sample.channel("inventory");
        ChannelConditions.awaitReadySubchannels(inventory, 3);

        TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(inventory);
        for (int i = 0; i < 60; i++) {
            stub.withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        }

        assertThat(inventory.snapshot().lbPolicy()).isEqualTo("random_subsetting");
        assertThat(inventory.snapshot().subchannels()).hasSize(3);
        List<Integer> served = backends.stream().map(TestBackend::callsStarted).filter(n -> n > 0).toList();
        assertThat(served).containsExactly(20, 20, 20);
    }
}
