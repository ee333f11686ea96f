package dev.lbchannel.resolver;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.serializer.Serializer;
import dev.lbchannel.target.Target;
import dev.lbchannel.testing.TestBackend;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code static} target's host-name lookup, end to end on a channel whose call executor is
 * direct: it runs on the channel's offload pool, never on an event loop, the serializer or the
 * call executor, and the channel reaches a real backend through it.
 */
@Timeout(60)
class StaticLookupOffloadTests {

    private final TestBackend backend = TestBackend.plaintext();
    private final List<Lookup> lookups = new CopyOnWriteArrayList<>();
    private final AtomicReference<Serializer> serializer = new AtomicReference<>();

    /** One system lookup: where it ran, and whether that thread was draining the serializer. */
    private record Lookup(String host, String thread, boolean inSerializer) {
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void localhostIsLookedUpOnTheOffloadPoolWithADirectExecutor() throws Exception {
        LbChannel channel = LbChannelBuilder.forTarget("static:///localhost:" + backend.port())
                .resolverProvider(recordingStatic())
                .usePlaintext()
                .directExecutor()
                .build();
        try {
            Empty reply = TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            assertThat(reply).isEqualTo(Empty.getDefaultInstance());
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(lookups).isNotEmpty().allSatisfy(lookup -> {
            assertThat(lookup.host()).isEqualTo("localhost");
            assertThat(lookup.thread()).startsWith("lbchannel-offload-").doesNotContain("eventloop");
            assertThat(lookup.inSerializer()).as("looked up while draining the serializer").isFalse();
        });
    }

    /** The built-in {@code static} provider with a lookup that records where it runs. */
    private ResolverProvider recordingStatic() {
        StaticResolverProvider delegate = new StaticResolverProvider(this::lookUp);
        return new ResolverProvider() {
            @Override
            public String scheme() {
                return delegate.scheme();
            }

            @Override
            public String defaultAuthority(Target target) {
                return delegate.defaultAuthority(target);
            }

            @Override
            public Resolver newResolver(Target target, ResolverArgs args) {
                serializer.set(args.serializer());
                return delegate.newResolver(target, args);
            }
        };
    }

    private InetAddress[] lookUp(String host) throws UnknownHostException {
        lookups.add(new Lookup(host, Thread.currentThread().getName(), inSerializer()));
        return HostLookup.SYSTEM.lookUp(host);
    }

    private boolean inSerializer() {
        try {
            serializer.get().assertInContext();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
