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

    private static final Object lock = new Object();
    // @GuardedBy("lock")
    private static EventLoopGroup group;
    // @GuardedBy("lock")
    private static int users;

    private SharedEventLoopGroup() {
    }

    static EventLoopGroup acquire() {
        synchronized (lock) {
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(0,
                        new DefaultThreadFactory("lbchannel-eventloop", true), NioIoHandler.newFactory());
            }
            users++;
            return group;
        }
    }

    static void release(EventLoopGroup released) {
        EventLoopGroup toClose = null;
        synchronized (lock) {
            if (released != group) {
                return;
            }
            if (--users == 0) {
                toClose = group;
                group = null;
            }
        }
        if (toClose != null) {
            toClose.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        }
    }
}
