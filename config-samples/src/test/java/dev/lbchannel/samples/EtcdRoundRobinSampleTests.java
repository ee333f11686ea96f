package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.etcd.testing.Etcd;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/etcd-round-robin.yml}: three grpc-java backends register under
 * {@code services/orders/} in a real etcd on loopback, as etcd's Go endpoints.Manager writes them,
 * each with its own lease; the sample's channel rotates over those registered and follows
 * registrations and revoked leases.
 */
@Timeout(60)
class EtcdRoundRobinSampleTests {

    private final List<TestBackend> backends = new ArrayList<>();
    private final List<Long> leases = new ArrayList<>();
    private Etcd etcd;
    private Sample sample;

    @BeforeEach
    void start() {
        etcd = Etcd.start();
        for (int i = 0; i < 3; i++) {
            backends.add(TestBackend.plaintext());
            leases.add(etcd.grantLease(Duration.ofSeconds(60)));
        }
        register(0);
        register(1);
        sample = Sample.start("etcd-round-robin", "orders.etcd=http://" + etcd.endpoint());
    }

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void callsRotateOverTheRegisteredBackendsAndFollowRegistrations() {
        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, 2);
        // Even, give or take the one restart of the rotation when a READY arrives just after the snapshot.
        assertThat(callsServedBy(20, 0, 1)).allMatch(n -> n >= 9 && n <= 11);

        register(2);
        ChannelConditions.awaitReadySubchannels(orders, 3);
        assertThat(callsServedBy(30, 0, 1, 2)).allMatch(n -> n >= 9 && n <= 11);

        etcd.revokeLease(leases.get(0));
        // Its subchannel is shut down once it has drained, and then leaves the snapshot.
        String revoked = "127.0.0.1:" + backends.get(0).port();
        Await.until("the revoked backend's subchannel is gone", () -> orders.snapshot().subchannels().stream()
                .flatMap(sc -> sc.addresses().stream()).noneMatch(revoked::equals));
        ChannelConditions.awaitReadySubchannels(orders, 2);
        List<Integer> served = callsServedBy(20, 0, 1, 2);
        assertThat(served.get(0)).as("calls to the backend whose lease was revoked").isZero();
        assertThat(served.subList(1, 3)).allMatch(n -> n >= 9 && n <= 11);
        assertThat(orders.snapshot().resolution().resolver()).containsEntry("prefix", "services/orders/")
                .containsEntry("watch", "WATCHING");
    }

    private void register(int i) {
        etcd.register("services/orders/" + i, "127.0.0.1:" + backends.get(i).port(), leases.get(i));
    }

    /** Makes {@code calls} calls, then returns how many each of the {@code backends} served. */
    private List<Integer> callsServedBy(int calls, int... indexes) {
        sample.servedBy().reset();
        for (int i = 0; i < calls; i++) {
            TestServiceGrpc.newBlockingStub(sample.channel("orders")).emptyCall(Empty.getDefaultInstance());
        }
        List<Integer> served = new ArrayList<>();
        for (int i : indexes) {
            served.add(sample.servedBy().served("127.0.0.1:" + backends.get(i).port()));
        }
        return served;
    }
}
