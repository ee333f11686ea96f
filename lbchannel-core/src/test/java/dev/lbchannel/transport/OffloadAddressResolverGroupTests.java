package dev.lbchannel.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Name lookups for the bootstrap: on the offload executor, answered on the event loop. */
@Timeout(30)
class OffloadAddressResolverGroupTests {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final ExecutorService offload = Executors.newSingleThreadExecutor(new DefaultThreadFactory("test-offload", true));

    @AfterEach
    void tearDown() {
        OffloadAddressResolverGroup.lookupObserver = null;
        offload.shutdownNow();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void looksUpOnTheOffloadExecutorAndAnswersOnTheLoop() throws Exception {
        CompletableFuture<String> lookupThread = new CompletableFuture<>();
        OffloadAddressResolverGroup.lookupObserver = host -> lookupThread.complete(Thread.currentThread().getName());
        AddressResolver<InetSocketAddress> resolver = new OffloadAddressResolverGroup(offload).getResolver(loop);
        CompletableFuture<Boolean> answeredOnLoop = new CompletableFuture<>();

        Future<InetSocketAddress> resolved = resolver.resolve(InetSocketAddress.createUnresolved("localhost", 8080))
                .addListener(f -> answeredOnLoop.complete(loop.inEventLoop()));

        assertThat(resolved.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.getNow().isUnresolved()).isFalse();
        assertThat(resolved.getNow().getAddress().isLoopbackAddress()).isTrue();
        assertThat(resolved.getNow().getPort()).isEqualTo(8080);
        assertThat(lookupThread.get(10, TimeUnit.SECONDS)).startsWith("test-offload");
        assertThat(answeredOnLoop.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLookupTheOffloadExecutorRefusesFailsTheResolution() throws Exception {
        AddressResolver<InetSocketAddress> resolver = new OffloadAddressResolverGroup(task -> {
            throw new RejectedExecutionException("offload pool shut down");
        }).getResolver(loop);

        Future<InetSocketAddress> resolved = resolver.resolve(InetSocketAddress.createUnresolved("localhost", 8080));

        assertThat(resolved.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resolved.cause()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void resolvedAddressesNeedNoLookup() {
        AddressResolver<InetSocketAddress> resolver = new OffloadAddressResolverGroup(offload).getResolver(loop);
        SocketAddress literal = new InetSocketAddress("127.0.0.1", 8080);

        assertThat(resolver.isResolved(literal)).isTrue();
    }
}
