package dev.lbchannel.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One of Netty's I/O transports as the channel uses it: the event loops' handler, and the
 * channel types for TCP connections, Unix domain socket connections and DNS over UDP, which must
 * all match the loops they are registered on. Immutable; one instance per transport.
 */
public final class IoTransport {

    private final String name;
    private final Supplier<IoHandlerFactory> handlerFactory;
    private final Class<? extends SocketChannel> socketChannelType;
    private final Class<? extends Channel> domainSocketChannelType;
    private final Class<? extends DatagramChannel> datagramChannelType;
    private final Function<UnixDomainSocketAddress, SocketAddress> domainAddress;

    IoTransport(String name, Supplier<IoHandlerFactory> handlerFactory,
            Class<? extends SocketChannel> socketChannelType, Class<? extends Channel> domainSocketChannelType,
            Class<? extends DatagramChannel> datagramChannelType,
            Function<UnixDomainSocketAddress, SocketAddress> domainAddress) {
        this.name = name;
        this.handlerFactory = handlerFactory;
        this.socketChannelType = socketChannelType;
        this.domainSocketChannelType = domainSocketChannelType;
        this.datagramChannelType = datagramChannelType;
        this.domainAddress = domainAddress;
    }

    /**
     * The transport whose channels {@code loops} can run: epoll's for epoll loops, io_uring's for
     * io_uring loops, NIO's for NIO loops and for any loops this class does not know (NIO is what
     * Netty's own defaults use).
     */
    public static IoTransport forLoops(EventLoopGroup loops) {
        if (loops instanceof IoEventLoopGroup io) {
            IoTransport epoll = EpollSupport.forLoops(io);
            if (epoll != null) {
                return epoll;
            }
            IoTransport uring = IoUringSupport.forLoops(io);
            if (uring != null) {
                return uring;
            }
        }
        return nio();
    }

    /** Java NIO's transport: every platform has it. */
    static IoTransport nio() {
        return NioHolder.NIO;
    }

    /** A handler factory for new event loops of this transport. */
    public IoHandlerFactory newHandlerFactory() {
        return handlerFactory.get();
    }

    /** {@code nio}, {@code epoll} or {@code io_uring}, as channelz and the logs name it. */
    public String name() {
        return name;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannelType;
    }

    public Class<? extends DatagramChannel> datagramChannelType() {
        return datagramChannelType;
    }

    /** The channel type that connects to {@code address}: a Unix domain socket, or {@code tcp} for anything else. */
    Class<? extends Channel> channelTypeFor(SocketAddress address, Class<? extends Channel> tcp) {
        return address instanceof UnixDomainSocketAddress ? domainSocketChannelType : tcp;
    }

    /** {@code address} as this transport's channels take it (the native ones have their own Unix socket address type). */
    SocketAddress connectAddress(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress unix ? domainAddress.apply(unix) : address;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Created on first use: a process on native epoll never loads NIO's channel classes. */
    private static final class NioHolder {
        static final IoTransport NIO = new IoTransport("nio", NioIoHandler::newFactory,
                NioSocketChannel.class, NioDomainSocketChannel.class, NioDatagramChannel.class, unix -> unix);
    }
}
