package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.SubchannelSnapshot;
import dev.lbchannel.config.Json;
import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.ManualResolverProvider;
import dev.lbchannel.testing.TestBackend;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ring_hash} against five grpc-java backends on loopback: the same key always reaches the
 * same backend, by header or by call option alike; connections open only as keys need them;
 * when a backend dies only its keys move, and when it leaves the resolution its keys and about
 * a tenth more do (the ring regrows around the rest).
 */
@Timeout(120)
class RingHashEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Metadata.Key<String> USER = Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER);

    private final ManualResolverProvider resolver = new ManualResolverProvider("manual");
    private final List<TestBackend> backends = new ArrayList<>();
    private LbChannel channel;

    @BeforeEach
    void start() {
        for (int i = 0; i < 5; i++) {
            backends.add(TestBackend.plaintext());
        }
        channel = LbChannelBuilder.forTarget("manual:///backends").usePlaintext().resolverProvider(resolver)
                .defaultServiceConfig(Json.parseObject(
                        "{\"loadBalancingConfig\": [{\"ring_hash\": {\"requestHashHeader\": \"x-user\"}}]}"))
                .build();
        resolver.update(ports(IntStream.range(0, 5)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        backends.forEach(TestBackend::close);
    }

    private int[] ports(IntStream indices) {
        return indices.map(i -> backends.get(i).port()).toArray();
    }

    /** Which backend (index) served one call whose x-user header is {@code key}. */
    private int servedByHeader(String key) {
        Metadata sent = new Metadata();
        sent.put(USER, key);
        return served(TestServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent)));
    }

    /** Which backend served one call whose hash is set by the call option, with no header. */
    private int servedByOption(String key) {
        return served(TestServiceGrpc.newBlockingStub(channel).withOption(RingHash.HASH_KEY, RingHash.hashOf(key)));
    }

    private int served(TestServiceBlockingStub stub) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        stub.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .withDeadlineAfter(20, TimeUnit.SECONDS).emptyCall(Empty.getDefaultInstance());
        String by = headers.get().get(TestBackend.SERVED_BY);
        for (int i = 0; i < backends.size(); i++) {
            if (("127.0.0.1:" + backends.get(i).port()).equals(by)) {
                return i;
            }
        }
        throw new AssertionError("Served by an unknown backend: " + by);
    }

    private Map<String, Integer> mapKeys(int count) {
        Map<String, Integer> owners = new LinkedHashMap<>();
        for (int k = 0; k < count; k++) {
            owners.put("user-" + k, servedByHeader("user-" + k));
        }
        return owners;
    }

    @Test
    void everyCallWithTheSameKeyReachesTheSameBackendByHeaderOrByOption() {
        assertThat(channel.getState(false)).isEqualTo(ConnectivityState.IDLE);
        Map<String, Integer> owners = mapKeys(60);
        for (Map.Entry<String, Integer> owner : owners.entrySet()) {
            for (int i = 0; i < 3; i++) {
                assertThat(servedByHeader(owner.getKey())).as(owner.getKey()).isEqualTo(owner.getValue());
            }
            assertThat(servedByOption(owner.getKey())).as(owner.getKey() + " by option").isEqualTo(owner.getValue());
        }
        assertThat(owners.values()).as("keys spread over the backends").hasSizeGreaterThan(0)
                .containsAll(List.of(0, 1, 2, 3, 4));
    }

    @Test
    void connectionsOpenOnlyForTheBackendsKeysNeed() {
        String key = "user-1";
        int owner = servedByHeader(key);
        assertThat(backends.get(owner).callsStarted()).isEqualTo(1);
        List<SubchannelSnapshot> ready = channel.snapshot().subchannels().stream()
                .filter(s -> s.state() == ConnectivityState.READY).toList();
        assertThat(ready).singleElement().satisfies(s -> assertThat(s.addresses())
                .containsExactly("127.0.0.1:" + backends.get(owner).port()));
    }

    @Test
    void whenABackendDiesOnlyItsKeysMove() {
        Map<String, Integer> before = mapKeys(200);
        int dead = before.get("user-0");
        backends.get(dead).kill();
        Map<String, Integer> after = mapKeys(200);
        for (String key : before.keySet()) {
            if (before.get(key) == dead) {
                assertThat(after.get(key)).as(key).isNotEqualTo(dead);
            } else {
                assertThat(after.get(key)).as(key + " stays").isEqualTo(before.get(key));
            }
        }
    }

    @Test
    void whenABackendLeavesTheResolutionItsKeysAndAboutATenthMoreMove() {
        Map<String, Integer> before = mapKeys(200);
        int leaving = before.get("user-0");
        resolver.update(ports(IntStream.range(0, 5).filter(i -> i != leaving)));
        Await.until("4 subchannels", BOUND, () -> channel.snapshot().subchannels().size() == 4);
        Map<String, Integer> after = mapKeys(200);
        int moved = 0;
        int movedFromOthers = 0;
        for (String key : before.keySet()) {
            assertThat(after.get(key)).as(key).isNotEqualTo(leaving);
            if (!after.get(key).equals(before.get(key))) {
                moved++;
                movedFromOthers += before.get(key) == leaving ? 0 : 1;
            }
        }
        // modulo hashing would move four in five; the ring moves the leaving backend's fifth and
        // what the others' 51 new entries each take (about a tenth; see RingTests)
        assertThat(moved).as("keys moved of 200 (%d from the other backends)", movedFromOthers).isLessThan(90);
        assertThat(movedFromOthers).as("keys of the other backends that moved, of 200").isLessThan(45);
    }

    @Test
    void channelzShowsEachBackendsRingEntries() {
        channel.getState(true);
        Await.until("a subchannel per backend", BOUND, () -> channel.snapshot().subchannels().size() == 5);
        assertThat(channel.snapshot().subchannels()).allSatisfy(s ->
                assertThat(s.balancer()).containsEntry("ringEntries", 205L));
    }
}
