package dev.lbchannel;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The event loops channels share unless their builder gives their own: one group per JVM,
 * created with the first channel and shut down when the last channel using it terminates, as
 * grpc-java shares its loops. Thread-safe.
 */
final class SharedEventLoopGroup {

    static final Class<NioSocketChannel> CHANNEL_TYPE = NioSocketChannel.class;

    private static final SharedResource<EventLoopGroup> GROUP = new SharedResource<>(
            () -> new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("lbchannel-eventloop", true),
                    NioIoHandler.newFactory()),
            group -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS));

    private SharedEventLoopGroup() {
    }

    static EventLoopGroup acquire() {
        return GROUP.acquire();
    }

    static void release(EventLoopGroup released) {
        GROUP.release(released);
    }
}
