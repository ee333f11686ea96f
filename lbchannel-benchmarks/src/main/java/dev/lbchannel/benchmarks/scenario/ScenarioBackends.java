package dev.lbchannel.benchmarks.scenario;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.xds.orca.OrcaMetricReportingServerInterceptor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The backends' JVM: {@code N} grpc-java Netty servers on ephemeral loopback ports, each serving
 * one {@link ScenarioBackend} behind grpc-java's ORCA interceptor. It prints {@code PORTS p1,p2,…}
 * and then obeys one command per line on standard input, answering each with {@code OK} (or
 * {@code ERR <why>}) once it is in effect:
 * <ul>
 *   <li>{@code reset <delayMicros>}: every backend warm, never failing, with that delay;
 *   <li>{@code delay <backend> <micros>}: one backend's delay;
 *   <li>{@code fail <backend> <fraction>}: the fraction of its calls that fail with UNAVAILABLE;
 *   <li>{@code cold <backend> <windowMillis> <factor>}: a warm-up from its next call.
 * </ul>
 * End of input stops it (so it dies with a killed harness). Arguments: the number of backends.
 */
public final class ScenarioBackends {

    static final String PORTS_LINE_PREFIX = "PORTS ";

    private ScenarioBackends() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int count = Integer.parseInt(args[0]);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "scenario-backends-timer");
            t.setDaemon(true);
            return t;
        });
        List<BackendBehaviour> behaviours = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BackendBehaviour behaviour = new BackendBehaviour(0);
            behaviours.add(behaviour);
            servers.add(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .directExecutor()
                    .addService(ServerInterceptors.intercept(new ScenarioBackend(i, behaviour, timer).startRates(),
                            OrcaMetricReportingServerInterceptor.getInstance()))
                    .build()
                    .start());
        }
        System.out.println(PORTS_LINE_PREFIX
                + servers.stream().map(s -> Integer.toString(s.getPort())).collect(Collectors.joining(",")));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            System.out.println(obey(line.trim().split("\\s+"), behaviours));
            System.out.flush();
        }
        for (Server server : servers) {
            server.shutdownNow();
        }
        for (Server server : servers) {
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        timer.shutdownNow();
    }

    private static String obey(String[] words, List<BackendBehaviour> behaviours) {
        try {
            switch (words[0]) {
                case "reset" -> behaviours.forEach(b -> b.reset(micros(words[1])));
                case "delay" -> behaviours.get(Integer.parseInt(words[1])).delay(micros(words[2]));
                case "fail" -> behaviours.get(Integer.parseInt(words[1])).failFraction(Double.parseDouble(words[2]));
                case "cold" -> behaviours.get(Integer.parseInt(words[1]))
                        .cold(TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[2])), Double.parseDouble(words[3]));
                default -> {
                    return "ERR unknown command " + words[0];
                }
            }
            return "OK";
        } catch (RuntimeException e) {
            return "ERR " + e;
        }
    }

    private static long micros(String text) {
        return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(text));
    }
}
