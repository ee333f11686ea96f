package dev.lbchannel.etcd;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import dev.lbchannel.resolver.RecordingResolverListener;
import dev.lbchannel.resolver.RecordingResolverListener.Event;
import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolver against a real etcd on loopback: list, watch, leases, reconnects and compaction. */
@Timeout(90)
class EtcdResolverTests extends EtcdServerTestCase {

    private final List<TcpProxy> gates = new ArrayList<>();
    private final RecordingResolverListener listener = new RecordingResolverListener();

    @AfterEach
    void closeGates() {
        gates.forEach(TcpProxy::close);
    }

    @Test
    void listsThePrefixThenFollowsPutsAndDeletes() {
        etcd.register("list/a", "10.0.1.1:1", 0);
        etcd.register("list/b", "10.0.1.2:1", 0);
        etcd.register("list-other/x", "10.0.1.9:1", 0);
        etcd.register("listing/x", "10.0.1.9:1", 0);
        Resolver resolver = start("etcd://" + etcd.endpoint() + "/list");

        Event listed = listener.awaitEvent(1);
        assertThat(listed.addresses()).containsExactly(List.of("10.0.1.1:1"), List.of("10.0.1.2:1"));
        etcd.register("list/c", "10.0.1.3:1", 0);
        Event added = listener.awaitResult("c added", e -> e.addresses().size() == 3);
        etcd.delete("list/a");
        Event last = listener.awaitResult("a removed", e -> e.addresses().equals(List.of(List.of("10.0.1.2:1"),
                List.of("10.0.1.3:1"))));

        // Each report is derived from the last, so the balancers apply only the key that changed.
        assertThat(EndpointList.changesSince(listed.result().endpoints(), added.result().endpoints()))
                .containsExactly(new EndpointList.Change(List.of(), List.of(added.result().endpoints().get(2))));
        assertThat(EndpointList.changesSince(added.result().endpoints(), last.result().endpoints()))
                .containsExactly(new EndpointList.Change(List.of(listed.result().endpoints().get(0)), List.of()));

        assertThat(listener.events()).allMatch(Event::isResult);
        assertThat(last.result().endpoints()).allMatch(e -> e.attributes().get(EtcdEndpointAttributes.KEY) != null);
        Await.until("details show the watch", () -> "WATCHING".equals(resolver.details().get("watch")));
        assertThat(resolver.details()).containsEntry("prefix", "list/").containsEntry("keys", 2)
                .containsEntry("lists", 1L).containsEntry("compactions", 0L);
        assertThat((Long) resolver.details().get("revision")).isGreaterThanOrEqualTo(etcd.revision() - 1);
    }

    @Test
    void aKeyThatAddsNoEndpointIsStillCountedButNotReported() {
        etcd.register("same/a", "10.0.9.1:1", 0);
        Resolver resolver = start("etcd://" + etcd.endpoint() + "/same");
        listener.awaitEvent(1);

        etcd.register("same/b", "10.0.9.1:1", 0); // the same address under a second key

        Await.until("both keys counted", () -> Integer.valueOf(2).equals(resolver.details().get("keys")));
        assertThat(listener.results()).as("the endpoint list did not change").hasSize(1);
    }

    @Test
    void metadataAndKeyBecomeAttributes() {
        etcd.put("meta/1", "{\"Op\":0,\"Addr\":\"10.0.2.1:1\",\"Metadata\":{\"zone\":\"eu-1\"}}", 0);
        start("etcd://" + etcd.endpoint() + "/meta");

        Endpoint endpoint = listener.awaitEvent(1).result().endpoints().get(0);

        assertThat(endpoint.attributes().get(EtcdEndpointAttributes.METADATA)).isEqualTo(Map.of("zone", "eu-1"));
        assertThat(endpoint.attributes().get(EtcdEndpointAttributes.KEY)).isEqualTo("meta/1");
    }

    @Test
    void malformedValuesAreSkippedAndOpDeleteRemoves() {
        etcd.register("bad/ok", "10.0.3.1:1", 0);
        etcd.put("bad/junk", "not json", 0);
        etcd.register("bad/dup", "10.0.3.1:1", 0);
        start("etcd://" + etcd.endpoint() + "/bad");

        assertThat(listener.awaitEvent(1).addresses()).as("junk skipped, the duplicate address once")
                .containsExactly(List.of("10.0.3.1:1"));
        etcd.register("bad/two", "10.0.3.2:1", 0);
        listener.awaitResult("two added", e -> e.addresses().size() == 2);
        etcd.put("bad/two", "{\"Op\":1}", 0);
        listener.awaitResult("two removed by an Op 1 value", e -> e.addresses().size() == 1
                && listener.results().indexOf(e) > 1);
    }

    @Test
    void anExpiredLeaseRemovesItsEndpoint() {
        long lease = etcd.grantLease(Duration.ofSeconds(2));
        etcd.register("lease/kept", "10.0.4.1:1", 0);
        etcd.register("lease/leased", "10.0.4.2:1", lease);
        start("etcd://" + etcd.endpoint() + "/lease");
        assertThat(listener.awaitEvent(1).addresses()).hasSize(2);

        // No keep-alive: etcd deletes the key when the lease runs out.
        Event expired = listener.awaitResult("the leased key expired", e -> e.addresses().size() == 1);

        assertThat(expired.addresses()).containsExactly(List.of("10.0.4.1:1"));
    }

    @Test
    void aWatchCutOffResumesFromItsRevisionAndSeesWhatChangedMeanwhile() throws Exception {
        TcpProxy gate = gate();
        etcd.register("resume/a", "10.0.5.1:1", 0);
        Resolver resolver = start("etcd://127.0.0.1:" + gate.port() + "/resume");
        listener.awaitEvent(1);
        Await.until("watching", () -> "WATCHING".equals(resolver.details().get("watch")));

        gate.refuse();
        listener.awaitError();
        etcd.register("resume/b", "10.0.5.2:1", 0);
        etcd.delete("resume/a");
        gate.resume();

        listener.awaitResult("b in, a out", e -> e.addresses().equals(List.of(List.of("10.0.5.2:1"))));
        assertThat(resolver.details()).as("resumed the watch without listing again").containsEntry("lists", 1L);
    }

    @Test
    void aCompactionPastTheWatchRevisionListsAgain() throws Exception {
        TcpProxy gate = gate();
        etcd.register("compact/a", "10.0.6.1:1", 0);
        Resolver resolver = start("etcd://127.0.0.1:" + gate.port() + "/compact");
        listener.awaitEvent(1);
        Await.until("watching", () -> "WATCHING".equals(resolver.details().get("watch")));

        gate.refuse();
        listener.awaitError();
        etcd.register("compact/b", "10.0.6.2:1", 0);
        etcd.delete("compact/a");
        etcd.register("compact/c", "10.0.6.3:1", 0);
        etcd.compact(etcd.revision());
        gate.resume();

        listener.awaitResult("the list after compaction", e -> e.addresses().equals(List.of(List.of("10.0.6.2:1"),
                List.of("10.0.6.3:1"))));
        assertThat(resolver.details()).containsEntry("compactions", 1L).containsEntry("lists", 2L);
        Await.until("watching again", () -> "WATCHING".equals(resolver.details().get("watch")));
        etcd.register("compact/d", "10.0.6.4:1", 0);
        listener.awaitResult("the new watch follows", e -> e.addresses().size() == 3);
    }

    @Test
    void aFrozenEtcdIsNoticedByKeepaliveAndTheWatchResumesWhenItThaws() {
        etcd.register("frozen/a", "10.0.8.1:1", 0);
        Resolver resolver = start("etcd://" + etcd.endpoint() + "/frozen",
                EtcdResolverProvider.builder().keepAliveTime(Duration.ofSeconds(5)), listener);
        listener.awaitEvent(1);
        Await.until("watching", () -> "WATCHING".equals(resolver.details().get("watch")));

        etcd.freeze();
        try {
            // No reset comes: only an unanswered keepalive ping (5 s, then 10 s to answer) shows it.
            Await.until("the silent connection is noticed", Duration.ofSeconds(40),
                    () -> listener.events().stream().anyMatch(e -> !e.isResult()));
        } finally {
            etcd.thaw();
        }
        etcd.register("frozen/b", "10.0.8.2:1", 0);

        listener.awaitResult("b, after the thaw", e -> e.addresses().size() == 2);
        assertThat(listener.results().get(listener.results().size() - 1).addresses())
                .containsExactly(List.of("10.0.8.1:1"), List.of("10.0.8.2:1"));
    }

    @Test
    void nothingIsReportedAfterShutdown() {
        etcd.register("quiet/a", "10.0.7.1:1", 0);
        Resolver resolver = start("etcd://" + etcd.endpoint() + "/quiet");
        listener.awaitEvent(1);
        Await.until("watching", () -> "WATCHING".equals(resolver.details().get("watch")));

        resolver.shutdown();
        etcd.register("quiet/b", "10.0.7.2:1", 0);
        etcd.register("quiet/c", "10.0.7.3:1", 0);
        // A second resolver on the same prefix sees both puts; by then the first would have too.
        RecordingResolverListener other = new RecordingResolverListener();
        start("etcd://" + etcd.endpoint() + "/quiet", EtcdResolverProvider.builder(), other);
        other.awaitResult("both puts", e -> e.addresses().size() == 3);

        assertThat(listener.events()).hasSize(1);
        assertThat(resolver.details()).containsEntry("watch", "SHUT_DOWN");
    }

    private TcpProxy gate() throws Exception {
        TcpProxy gate = new TcpProxy(etcd.address());
        gates.add(gate);
        return gate;
    }

    private Resolver start(String target) {
        return start(target, EtcdResolverProvider.builder(), listener);
    }
}
