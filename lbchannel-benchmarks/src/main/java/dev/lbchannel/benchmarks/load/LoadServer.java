package dev.lbchannel.benchmarks.load;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.TestServiceImpl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server JVM's entry point: grpc-java's Netty server on an ephemeral loopback port serving
 * the interop {@code TestService} with a direct executor, so calls run on its event loops. It
 * prints {@code PORT <n>} on one line, then serves until its standard input closes, which is
 * how {@link ServerProcess} stops it (and how it dies with a killed harness).
 */
public final class LoadServer {

    static final String PORT_LINE_PREFIX = "PORT ";

    private LoadServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // TestServiceImpl paces streamed responses on this scheduler.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-server-scheduler");
            t.setDaemon(true);
            return t;
        });
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(new TestServiceImpl(scheduler))
                .build()
                .start();
        System.out.println(PORT_LINE_PREFIX + server.getPort());
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
