package dev.lbchannel.samples;

import dev.lbchannel.LbChannel;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.Dnsmasq;
import dev.lbchannel.testing.TestBackend;
import io.grpc.Deadline;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code samples/dns-round-robin.yml}: the name {@code orders.internal} served by a real DNS
 * server (dnsmasq on loopback) with three A records, one per backend; the backends share one
 * port on 127.0.0.1-3, so the records alone choose them. The opt-in periodic lookup the sample's
 * comment shows is proven with a shorter interval, and the opt-in TTL lookup with dnsmasq's TTL.
 */
@Timeout(60)
class DnsRoundRobinSampleTests {

    private static final String NAME = "orders.internal";
    private static final String[] HOSTS = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};

    private final List<TestBackend> backends = new ArrayList<>();
    private Dnsmasq dns;
    private int port;
    private Sample sample;

    @BeforeEach
    void start() {
        dns = Dnsmasq.start();
        backends.addAll(TestBackend.plaintextOnSharedPort(HOSTS));
        port = backends.get(0).port();
        dns.hosts(NAME, HOSTS);
        sample = startSample();
    }

    private Sample startSample(String... properties) {
        List<String> all = new ArrayList<>(List.of("orders.dns-server=127.0.0.1:" + dns.port(), "orders.port=" + port));
        all.addAll(List.of(properties));
        return Sample.start("dns-round-robin", all.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        if (sample != null) {
            sample.close();
        }
        backends.forEach(TestBackend::close);
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void callsRotateOverEveryAddressTheNameHas() {
        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, HOSTS.length);
        sample.servedBy().reset();

        for (int i = 0; i < 30; i++) {
            TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());
        }

        assertEvenlySpread();
        assertThat(orders.snapshot().lbPolicy()).isEqualTo("round_robin");
        assertThat(orders.snapshot().subchannels()).flatExtracting(SubchannelSnapshot::addresses)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(HOSTS).map(h -> h + ":" + port).toList());
        // dnsmasq writes its query log a little after it answers.
        Await.until("dnsmasq to log the query for " + NAME, () -> dns.queries("A", NAME) > 0);
    }

    @Test
    void callsWithoutADeadlineGetTheSamplesThreeSeconds() {
        LbChannel orders = sample.channel("orders");

        TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());

        Deadline seen = backends.stream().map(TestBackend::lastDeadline).filter(d -> d != null).findFirst().orElseThrow();
        assertThat(seen.timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 3_000L);
    }

    @Test
    void withTheOptInPeriodicLookupAReplicaAddedWhileAllAreHealthyIsFollowed() {
        sample.close();
        dns.hosts(NAME, HOSTS[0], HOSTS[1]);
        // The sample's commented-out refresh-interval, with 1 s instead of 30 s so the test need not wait long.
        sample = startSample("lbchannel.dns.refresh-interval=1s");
        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, 2);

        // A scale-up: no connection fails, so only the periodic lookup can bring the third replica in.
        dns.hosts(NAME, HOSTS);

        ChannelConditions.awaitReadySubchannels(orders, HOSTS.length);
        sample.servedBy().reset();
        for (int i = 0; i < 30; i++) {
            TestServiceGrpc.newBlockingStub(orders).emptyCall(Empty.getDefaultInstance());
        }
        assertEvenlySpread();
    }

    @Test
    void withTheOptInTtlLookupAReplicaAddedWhileAllAreHealthyIsFollowedWhenTheTtlRunsOut() {
        sample.close();
        dns.close();
        dns = Dnsmasq.start(Duration.ofSeconds(1));
        dns.hosts(NAME, HOSTS[0], HOSTS[1]);
        sample = startSample("lbchannel.dns.honor-ttl=true", "lbchannel.dns.min-refresh-interval=1s");
        LbChannel orders = sample.channel("orders");
        ChannelConditions.awaitReadySubchannels(orders, 2);

        dns.hosts(NAME, HOSTS);

        ChannelConditions.awaitReadySubchannels(orders, HOSTS.length);
    }

    /**
     * 30 calls rotate over the three: 10 each, give or take the one restart of the rotation when a
     * subchannel's READY reaches the balancer just after the snapshot showed it.
     */
    private void assertEvenlySpread() {
        int total = 0;
        for (String host : HOSTS) {
            int served = sample.servedBy().served(host + ":" + port);
            assertThat(served).as(host).isBetween(9, 11);
            total += served;
        }
        assertThat(total).isEqualTo(30);
    }
}
