package dev.lbchannel;

import dev.lbchannel.transport.IoTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The event loops channels share unless their builder gives their own: one group per JVM and
 * I/O transport, created with the first channel on it and shut down when the last channel using
 * it terminates, as grpc-java shares its loops. Thread-safe.
 */
final class SharedEventLoopGroup {

    private static final Map<IoTransport, SharedResource<EventLoopGroup>> GROUPS = new ConcurrentHashMap<>();

    private SharedEventLoopGroup() {
    }

    static EventLoopGroup acquire(IoTransport io) {
        return GROUPS.computeIfAbsent(io, SharedEventLoopGroup::shared).acquire();
    }

    static void release(EventLoopGroup released) {
        GROUPS.get(IoTransport.forLoops(released)).release(released);
    }

    private static SharedResource<EventLoopGroup> shared(IoTransport io) {
        return new SharedResource<>(
                () -> new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("lbchannel-eventloop", true),
                        io.newHandlerFactory()),
                group -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS));
    }
}
