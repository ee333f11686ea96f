package dev.lbchannel.reliability;

import dev.lbchannel.testing.TestBackend;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.TestServiceImpl;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entry point of a {@link BackendProcess}'s JVM: grpc-java's Netty server on
 * {@code 127.0.0.1} serving the interop {@code TestService} with the interceptors
 * {@link TestBackend} uses, and {@link TestBackend#SERVED_BY} on every response.
 *
 * <p>It prints {@code PORT <n>} once listening, then obeys its standard input: the line
 * {@code shutdown} shuts the server down gracefully (GOAWAY; in-flight calls finish), prints
 * {@code TERMINATED} and exits 0; end of input (the test JVM closed it or died) stops the server
 * at once and exits. A port it cannot bind exits {@value #EXIT_BIND_FAILED}. Each call whose response
 * it holds back prints {@code HELD <k>} (the k-th such call) as it arrives.
 *
 * <p>Arguments: {@code --port <n>} (0 for any), {@code --max-connection-age-millis <ms>},
 * {@code --delay-every <n> --delay-millis <ms>} (every n-th unary call's response is held back).
 */
public final class BackendMain {

    static final String PORT_LINE_PREFIX = "PORT ";
    static final String SHUTDOWN_COMMAND = "shutdown";
    static final String TERMINATED_LINE = "TERMINATED";
    static final String HELD_LINE_PREFIX = "HELD ";
    static final int EXIT_BIND_FAILED = 3;
    private static final long GRACE_SECONDS = 30;

    private BackendMain() {
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        // TestServiceImpl paces streamed responses on it; the delay injection holds responses on it.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backend-scheduler");
            t.setDaemon(true);
            return t;
        });
        Server server;
        try {
            server = serverBuilder(arguments, scheduler).build().start();
        } catch (IOException e) {
            System.out.println("Cannot bind 127.0.0.1:" + arguments.port + ": " + e);
            System.out.flush();
            System.exit(EXIT_BIND_FAILED);
            return;
        }
        System.out.println(PORT_LINE_PREFIX + server.getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.trim().equals(SHUTDOWN_COMMAND)) {
                server.shutdown();
                if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
                    System.out.println("Calls still open after " + GRACE_SECONDS + " s; cutting them");
                    server.shutdownNow();
                }
                System.out.println(TERMINATED_LINE);
                System.out.flush();
                System.exit(0);
            }
        }
        // The test JVM closed our input or died: no one is left to serve.
        server.shutdownNow();
        System.exit(0);
    }

    private static NettyServerBuilder serverBuilder(Arguments arguments, ScheduledExecutorService scheduler) {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", arguments.port))
                .directExecutor()
                .addService(service(arguments, scheduler));
        if (arguments.maxConnectionAgeMillis > 0) {
            builder.maxConnectionAge(arguments.maxConnectionAgeMillis, TimeUnit.MILLISECONDS);
        }
        return builder;
    }

    private static ServerServiceDefinition service(Arguments arguments, ScheduledExecutorService scheduler) {
        BindableService service = new TestServiceImpl(scheduler);
        List<ServerInterceptor> interceptors = new ArrayList<>(TestServiceImpl.interceptors());
        interceptors.add(new ServedBy());
        if (arguments.delayEvery > 0) {
            interceptors.add(new DelayEveryNth(arguments.delayEvery, arguments.delayMillis, scheduler));
        }
        return ServerInterceptors.intercept(service, interceptors);
    }

    /** Names this backend ({@code 127.0.0.1:<port>}) in every call's response headers. */
    private static final class ServedBy implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void sendHeaders(Metadata responseHeaders) {
                    InetSocketAddress local = (InetSocketAddress) call.getAttributes()
                            .get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR);
                    responseHeaders.put(TestBackend.SERVED_BY, "127.0.0.1:" + local.getPort());
                    super.sendHeaders(responseHeaders);
                }
            }, headers);
        }
    }

    /**
     * Holds back the whole response (headers, message, status) of every n-th unary call until
     * {@code delayMillis} after it started, so a client sees a slow backend, as hedging needs.
     */
    private static final class DelayEveryNth implements ServerInterceptor {
        private final int every;
        private final long delayNanos;
        private final ScheduledExecutorService scheduler;
        private final AtomicLong unaryCalls = new AtomicLong();

        DelayEveryNth(int every, long delayMillis, ScheduledExecutorService scheduler) {
            this.every = every;
            this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
            this.scheduler = scheduler;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            long count = call.getMethodDescriptor().getType() == MethodType.UNARY ? unaryCalls.incrementAndGet() : 0;
            if (count == 0 || count % every != 0) {
                return next.startCall(call, headers);
            }
            long held = count / every;
            ServerCall.Listener<Q> listener =
                    next.startCall(new HeldResponse<>(call, System.nanoTime() + delayNanos, scheduler), headers);
            // Lets a test know the call arrived before it, say, shuts the server down.
            System.out.println(HELD_LINE_PREFIX + held);
            return listener;
        }
    }

    /**
     * Keeps what the service sends and replays it, in order, at {@code dueNanos}. A unary service
     * sends everything from one callback, so the list is confined to that thread until replayed.
     */
    private static final class HeldResponse<Q, R> extends SimpleForwardingServerCall<Q, R> {
        private final long dueNanos;
        private final ScheduledExecutorService scheduler;
        private final List<Runnable> held = new ArrayList<>(3);

        HeldResponse(ServerCall<Q, R> call, long dueNanos, ScheduledExecutorService scheduler) {
            super(call);
            this.dueNanos = dueNanos;
            this.scheduler = scheduler;
        }

        @Override
        public void sendHeaders(Metadata headers) {
            held.add(() -> super.sendHeaders(headers));
        }

        @Override
        public void sendMessage(R message) {
            held.add(() -> super.sendMessage(message));
        }

        @Override
        public void close(Status status, Metadata trailers) {
            held.add(() -> super.close(status, trailers));
            List<Runnable> replay = List.copyOf(held);
            scheduler.schedule(() -> replay.forEach(Runnable::run), dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    private record Arguments(int port, long maxConnectionAgeMillis, int delayEvery, long delayMillis) {
        static Arguments parse(String[] args) {
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("Arguments come in pairs: " + String.join(" ", args));
            }
            int port = 0;
            long maxAge = 0;
            int delayEvery = 0;
            long delayMillis = 0;
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--max-connection-age-millis" -> maxAge = Long.parseLong(value);
                    case "--delay-every" -> delayEvery = Integer.parseInt(value);
                    case "--delay-millis" -> delayMillis = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
                }
            }
            return new Arguments(port, maxAge, delayEvery, delayMillis);
        }
    }
}
