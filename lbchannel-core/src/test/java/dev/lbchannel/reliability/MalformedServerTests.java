package dev.lbchannel.reliability;

import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RawMethods;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every answer of {@link MalformedResponses}, from one scripted HTTP/2 server, to lbchannel and to
 * grpc-java's client in the same run: each call ends with the table's status within a second, and
 * after a case that breaks only its stream the same connection carries the next call. Run one
 * case with {@code -Dmalformed.only=<part of its name>}.
 */
@Timeout(120)
class MalformedServerTests {

    private static final Metadata.Key<String> CASE = Metadata.Key.of("x-case", Metadata.ASCII_STRING_MARSHALLER);
    private static final List<MalformedResponse> CASES = cases();
    private static RawHttp2Server server;

    /** The clients, each opening a plaintext channel to an address. */
    enum Client {
        LBCHANNEL(port -> LbChannelBuilder.forTarget("static:///127.0.0.1:" + port).usePlaintext().build()),
        GRPC_JAVA(port -> NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());

        private final Function<Integer, ManagedChannel> open;

        Client(Function<Integer, ManagedChannel> open) {
            this.open = open;
        }
    }

    @BeforeAll
    static void startServer() {
        // Answering once the request has fully arrived: a script that closes the connection while a
        // client still writes the request would race its write (grpc-java then reports UNKNOWN).
        server = RawHttp2Server.builder().answerAtEndOfRequest().start(exchange -> {
            String index = exchange.requestHeaders().get("x-case").toString();
            CASES.get(Integer.parseInt(index)).script().onRequest(exchange);
        });
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static Stream<Arguments> everyCaseOnEveryClient() {
        List<Arguments> arguments = new ArrayList<>();
        String only = System.getProperty("malformed.only");
        for (MalformedResponse malformed : CASES) {
            if (only != null && !malformed.name().contains(only)) {
                continue;
            }
            for (Client client : Client.values()) {
                arguments.add(Arguments.of(client, malformed));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyCaseOnEveryClient")
    void endsWithItsStatusWithinASecondAndSparesTheConnectionWhenItCan(Client client, MalformedResponse malformed)
            throws InterruptedException {
        ManagedChannel channel = client.open.apply(server.address().getPort());
        try {
            int connectionsBefore = server.connections();
            long started = System.nanoTime();
            Status status = call(channel, malformed);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(status.getCode()).as("%s: %s", client, status).isEqualTo(malformed.expectedOf(client == Client.GRPC_JAVA));
            if (malformed.description() != null && status.getCode() == malformed.expected()) {
                assertThat(status.getDescription()).as("%s: the description", client).contains(malformed.description());
            }
            assertThat(millis).as("%s: milliseconds until the status", client).isLessThan(1000);
            // Where grpc-java departs from the documents only its status is compared.
            boolean documented = client == Client.LBCHANNEL || malformed.grpcJava() == null;
            if (malformed.scope() == MalformedResponse.Scope.STREAM && documented) {
                assertThat(call(channel, MalformedResponses.wellFormed()).getCode())
                        .as("%s: the next call on the connection", client).isEqualTo(Status.Code.OK);
                assertThat(server.connections() - connectionsBefore)
                        .as("%s: connections opened for both calls", client).isEqualTo(1);
            }
        } finally {
            channel.shutdownNow();
            assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Status call(ManagedChannel channel, MalformedResponse malformed) {
        Metadata headers = new Metadata();
        headers.put(CASE, Integer.toString(CASES.indexOf(malformed)));
        try {
            ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                            MetadataUtils.newAttachHeadersInterceptor(headers)),
                    RawMethods.UNARY, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[] {1, 2, 3});
            return Status.OK;
        } catch (RuntimeException e) {
            return Status.fromThrowable(e);
        }
    }

    private static List<MalformedResponse> cases() {
        List<MalformedResponse> cases = new ArrayList<>(MalformedResponses.all());
        cases.add(MalformedResponses.wellFormed());
        return List.copyOf(cases);
    }
}
