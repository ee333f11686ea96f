package dev.lbchannel.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A server JVM that stands in for {@link LoadServer} when the client is what a run should measure
 * (harness option {@code --server canned}). grpc-java's server spends about 4 µs of its one core
 * on each unary call, more than either client does, so against it a run measures the server's
 * ceiling: both clients saturate it and come out level on throughput. This one answers the same
 * three methods with Netty's HTTP/2 codec on one event loop and nothing of a gRPC server stack
 * ({@link CannedCalls}), at a fraction of that cost, so the client saturates first and throughput
 * follows the client's cost per call.
 *
 * <p>Same contract as {@link LoadServer}: it prints {@code PORT <n>} (several with
 * {@code -Dload.server.ports=N}) and serves until its standard input closes. Native epoll where it
 * loads, NIO otherwise.
 */
public final class CannedServer {

    private CannedServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loop)
                    .channel(channelType)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(CannedCalls.newHandler());
                        }
                    });
            StringJoiner ports = new StringJoiner(" ", LoadServer.PORT_LINE_PREFIX, "");
            for (int i = 0; i < Integer.getInteger(LoadServer.PORTS_PROPERTY, 1); i++) {
                Channel listening = bootstrap.bind("127.0.0.1", 0).sync().channel();
                ports.add(Integer.toString(((InetSocketAddress) listening.localAddress()).getPort()));
            }
            System.out.println(ports);
            System.out.flush();
            while (System.in.read() != -1) {
                // Anything written is ignored; end of input means stop.
            }
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
