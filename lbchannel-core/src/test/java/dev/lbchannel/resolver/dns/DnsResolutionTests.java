package dev.lbchannel.resolver.dns;

import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverTestEnvironment;
import dev.lbchannel.target.Target;
import dev.lbchannel.transport.IoTransport;
import dev.lbchannel.transport.TransportKind;
import dev.lbchannel.testing.Await;
import io.grpc.Status;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses and errors against a real DNS server (dnsmasq on loopback). */
@Timeout(60)
class DnsResolutionTests extends DnsServerTestCase {

    @BeforeAll
    static void addHosts() {
        dns.hosts("v4.test", "10.0.0.1");
        dns.hosts("v6.test", "fd00::1");
        dns.hosts("three.test", "10.0.0.1", "10.0.0.2", "fd00::3");
    }

    @Test
    void aRecordBecomesAnEndpointWithThePortOfTheTarget() {
        start(dns.target("v4.test:50051"), new DnsResolverProvider());

        Event event = listener.awaitEvent(1);

        assertThat(event.isResult()).as("%s\n%s", event, dns.log()).isTrue();
        assertThat(event.addresses()).containsExactly(List.of("10.0.0.1:50051"));
        assertThat(event.result().serviceConfig()).isNull();
        assertThat(event.result().serviceConfigError()).isNull();
    }

    @Test
    void aaaaRecordBecomesAnEndpointWithTheDefaultPort() {
        start(dns.target("v6.test"), new DnsResolverProvider());

        assertThat(listener.awaitEvent(1).addresses()).containsExactly(List.of("[fd00:0:0:0:0:0:0:1]:443"));
    }

    @Test
    void everyAddressIsItsOwnEndpointIpv4First() {
        start(dns.target("three.test:7"), new DnsResolverProvider());

        Event event = listener.awaitEvent(1);

        assertThat(event.addresses()).hasSize(3);
        assertThat(event.addresses().subList(0, 2)).containsExactlyInAnyOrder(List.of("10.0.0.1:7"), List.of("10.0.0.2:7"));
        assertThat(event.addresses().get(2)).containsExactly("[fd00:0:0:0:0:0:0:3]:7");
        assertThat(queries("A", "three.test", 1)).isEqualTo(1);
        assertThat(queries("AAAA", "three.test", 1)).isEqualTo(1);
    }

    @Test
    void unknownNameIsUnavailableNamingTheHost() {
        start(dns.target("missing.test:1"), new DnsResolverProvider());

        Status error = listener.awaitError();

        assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(error.getDescription()).contains("missing.test").contains(dns.target("missing.test:1"));
        assertThat(error.getCause()).isNotNull();
    }

    @Test
    void serverThatNeverAnswersIsUnavailableAfterTheQueryTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String target = "dns://127.0.0.1:" + silent.getLocalPort() + "/v4.test:1";
            start(target, DnsResolverProvider.builder().queryTimeout(Duration.ofMillis(300)).build());

            Status error = listener.awaitError();

            assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(error.getDescription()).contains("v4.test").containsIgnoringCase("timed out");
        }
    }

    @Test
    void systemResolverReadsTheHostsFile() {
        start("dns:///localhost:50051", DnsResolverProvider.builder().serviceConfigLookup(false).build());

        Event event = listener.awaitEvent(1);

        assertThat(event.isResult()).as("%s", event).isTrue();
        assertThat(event.addresses()).contains(List.of("127.0.0.1:50051"));
    }

    @Test
    void nothingIsReportedAfterShutdown() {
        dns.hosts("busy.test", "10.0.0.9");
        Resolver resolver = start(dns.target("busy.test:1"),
                DnsResolverProvider.builder().refreshInterval(Duration.ofMillis(50)).build());
        listener.awaitEvent(3);

        resolver.shutdown();
        int reported = listener.events().size();

        // Ten periods: a resolver that kept going would have asked and reported several times.
        long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
        Await.until("half a second passes", () -> System.nanoTime() - until >= 0);
        assertThat(listener.events()).hasSize(reported);
        // One query per resolution: those reported, and at most one under way at shutdown.
        assertThat(dns.queries("A", "busy.test")).as("A queries").isLessThanOrEqualTo(reported + 1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TransportKind.class, names = {"EPOLL", "IO_URING"})
    void queriesGoOutOnTheDatagramChannelsOfTheLoopsTransport(TransportKind kind) throws Exception {
        IoTransport io;
        try {
            io = kind.io();
        } catch (IllegalStateException e) {
            System.err.println("Skipping DNS over " + kind + ": " + e.getMessage());
            Assumptions.abort(e.getMessage());
            return;
        }
        try (ResolverTestEnvironment loops = new ResolverTestEnvironment(io.newHandlerFactory())) {
            // A datagram channel of another transport could not register on these loops.
            Resolver resolver = new DnsResolverProvider().newResolver(Target.parse(dns.target("v4.test:50051")),
                    loops.args(443));
            RecordingResolverListener own = new RecordingResolverListener();
            resolver.start(own);
            try {
                Event event = own.awaitEvent(1);
                assertThat(event.isResult()).as("%s\n%s", event, dns.log()).isTrue();
                assertThat(event.addresses()).containsExactly(List.of("10.0.0.1:50051"));
            } finally {
                resolver.shutdown();
            }
        }
    }
}
