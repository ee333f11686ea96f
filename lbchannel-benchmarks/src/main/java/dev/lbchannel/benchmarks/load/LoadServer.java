package dev.lbchannel.benchmarks.load;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.TestServiceImpl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server JVM's entry point: grpc-java's Netty server on an ephemeral loopback port serving
 * the interop {@code TestService} with a direct executor, so calls run on its event loops. It
 * prints {@code PORT <n>} on one line, then serves until its standard input closes, which is
 * how {@link ServerProcess} stops it (and how it dies with a killed harness). With
 * {@code -Dload.server.ports=N} it listens on N ephemeral loopback ports and prints them all on
 * that line, so that one client can hold N distinct connections to one server process.
 */
public final class LoadServer {

    static final String PORT_LINE_PREFIX = "PORT ";
    public static final String PORTS_PROPERTY = "load.server.ports";

    private LoadServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // TestServiceImpl paces streamed responses on this scheduler.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-server-scheduler");
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        for (int i = 1; i < Integer.getInteger(PORTS_PROPERTY, 1); i++) {
            builder.addListenAddress(new InetSocketAddress("127.0.0.1", 0));
        }
        Server server = builder.directExecutor()
                .addService(new TestServiceImpl(scheduler))
                .build()
                .start();
        StringJoiner ports = new StringJoiner(" ", PORT_LINE_PREFIX, "");
        for (SocketAddress address : server.getListenSockets()) {
            ports.add(Integer.toString(((InetSocketAddress) address).getPort()));
        }
        System.out.println(ports);
        System.out.flush();
        while (System.in.read() != -1) {
            // Anything written is ignored; end of input means stop.
        }
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
        scheduler.shutdownNow();
    }
}
