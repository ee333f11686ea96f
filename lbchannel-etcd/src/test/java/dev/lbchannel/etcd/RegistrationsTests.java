package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;
import dev.lbchannel.etcd.api.mvcc.Event;
import dev.lbchannel.etcd.api.mvcc.KeyValue;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Watch events become changes of the endpoint list, one endpoint per key put or deleted (issue 18). */
class RegistrationsTests {

    private final Registrations registrations = new Registrations("etcd:///test");

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static String addr(String address) {
        return "{\"Op\":0,\"Addr\":\"" + address + "\"}";
    }

    private static Event put(String key, String value) {
        return Event.newBuilder().setType(Event.EventType.PUT).setKv(kv(key, value)).build();
    }

    private static Event delete(String key) {
        return Event.newBuilder().setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))).build();
    }

    private static List<String> described(List<Endpoint> endpoints) {
        return endpoints.stream().map(e -> ((InetSocketAddress) e.addresses().get(0)).getAddress().getHostAddress()
                + "@" + e.attributes().get(EtcdEndpointAttributes.KEY)).toList();
    }

    @Test
    void aListIsInKeyOrderAndAnAddressRegisteredTwiceIsReportedUnderItsFirstKey() {
        registrations.replace(List.of(kv("s/c", addr("10.0.0.3:1")), kv("s/a", addr("10.0.0.1:1")),
                kv("s/b", addr("10.0.0.1:1")), kv("s/junk", "not json")));
        assertThat(described(registrations.endpoints())).containsExactly("10.0.0.1@s/a", "10.0.0.3@s/c");
        assertThat(registrations.size()).isEqualTo(3);
    }

    @Test
    void eachPutOrDeleteIsOneChangeOfTheLastList() {
        registrations.replace(List.of(kv("s/a", addr("10.0.0.1:1")), kv("s/b", addr("10.0.0.2:1"))));
        EndpointList listed = registrations.endpoints();

        assertThat(registrations.apply(List.of(put("s/c", addr("10.0.0.3:1"))))).isTrue();
        EndpointList added = registrations.endpoints();
        assertThat(added.isWorkedOut()).as("a put read the whole list").isFalse();
        assertThat(EndpointList.changesSince(listed, added)).hasSize(1).first()
                .satisfies(change -> {
                    assertThat(change.removed()).isEmpty();
                    assertThat(described(change.added())).containsExactly("10.0.0.3@s/c");
                });

        assertThat(registrations.apply(List.of(delete("s/a")))).isTrue();
        EndpointList.Change change = EndpointList.changesSince(added, registrations.endpoints()).get(0);
        assertThat(change.removed()).containsExactly(listed.get(0)); // the very object the list holds
        assertThat(change.added()).isEmpty();
        assertThat(described(registrations.endpoints())).containsExactly("10.0.0.2@s/b", "10.0.0.3@s/c");
    }

    @Test
    void whenTheFirstKeyOfAnAddressGoesTheNextOneNamesIt() {
        registrations.replace(List.of(kv("s/a", addr("10.0.0.1:1")), kv("s/b", addr("10.0.0.1:1"))));
        EndpointList before = registrations.endpoints();

        registrations.apply(List.of(delete("s/a")));

        EndpointList.Change change = EndpointList.changesSince(before, registrations.endpoints()).get(0);
        assertThat(described(change.removed())).containsExactly("10.0.0.1@s/a");
        assertThat(described(change.added())).containsExactly("10.0.0.1@s/b");
        assertThat(registrations.apply(List.of(delete("s/x")))).as("an unknown key").isFalse();
        assertThat(registrations.apply(List.of(delete("s/b")))).isTrue();
        assertThat(registrations.endpoints()).isEmpty();
    }

    @Test
    void newMetadataReplacesTheEndpointAndAJunkValueRemovesIt() {
        registrations.replace(List.of(kv("s/a", addr("10.0.0.1:1"))));
        EndpointList before = registrations.endpoints();

        registrations.apply(List.of(put("s/a", "{\"Op\":0,\"Addr\":\"10.0.0.1:1\",\"Metadata\":{\"zone\":\"b\"}}")));
        EndpointList.Change change = EndpointList.changesSince(before, registrations.endpoints()).get(0);
        assertThat(change.removed()).containsExactly(before.get(0));
        assertThat(change.added()).singleElement().satisfies(e ->
                assertThat(e.attributes().get(EtcdEndpointAttributes.METADATA)).isEqualTo(java.util.Map.of("zone", "b")));

        assertThat(registrations.apply(List.of(put("s/a", "not json")))).isTrue();
        assertThat(registrations.endpoints()).isEmpty();
    }

    @Test
    void whatOneBatchAddsAndTakesBackIsNoChange() {
        registrations.replace(List.of(kv("s/a", addr("10.0.0.1:1"))));
        EndpointList before = registrations.endpoints();

        assertThat(registrations.apply(List.of(put("s/b", addr("10.0.0.2:1")), delete("s/b")))).isFalse();
        assertThat(registrations.apply(List.of(delete("s/a"), put("s/a", addr("10.0.0.1:1"))))).isFalse();
        assertThat(registrations.endpoints()).isSameAs(before);
    }
}
