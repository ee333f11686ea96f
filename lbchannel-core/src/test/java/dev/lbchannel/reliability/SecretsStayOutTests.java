package dev.lbchannel.reliability;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.testing.CapturedLogs;
import dev.lbchannel.testing.RawHttp2Server;
import dev.lbchannel.testing.RefusedPort;
import dev.lbchannel.testing.TestBackend;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A canary bearer token (through {@link CallCredentials}) and a canary API key (a plain header)
 * ride on calls that fail every way a call can fail: refused by the server, HTTP 401, headers the
 * server will not take, no connection, a deadline, retries. Neither canary may show up in any log
 * record at any level, any status description or exception (stack traces included), or the
 * channel's snapshot.
 */
@Timeout(120)
class SecretsStayOutTests {

    private static final String TOKEN = "lbchannel-canary-token-7f3a9c";
    private static final String API_KEY = "lbchannel-canary-key-51d2e8";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Map<String, ?> RETRIES = Map.of("methodConfig", List.of(Map.of(
            "name", List.of(Map.of("service", "grpc.testing.TestService")),
            "retryPolicy", Map.of("maxAttempts", 3, "initialBackoff", "0.01s", "maxBackoff", "0.05s",
                    "backoffMultiplier", 2, "retryableStatusCodes", List.of("UNAVAILABLE", "UNAUTHENTICATED")))));

    private final List<Object> seen = new ArrayList<>();

    @Test
    void canariesAppearInNoLogStatusExceptionOrSnapshot() throws Exception {
        try (CapturedLogs logs = new CapturedLogs();
                TestBackend refusing = TestBackend.start(false, b -> b.intercept(new Refuse()));
                TestBackend strict = TestBackend.start(false, b -> b.maxInboundMetadataSize(64));
                RawHttp2Server http401 = RawHttp2Server.start(e -> e.headers(
                        new DefaultHttp2Headers().status("401").add("www-authenticate", "Bearer"), true));
                RawHttp2Server silent = RawHttp2Server.start(e -> { });
                RefusedPort closed = new RefusedPort()) {
            for (int port : new int[] {refusing.port(), strict.port(), http401.address().getPort(),
                    silent.address().getPort(), closed.port()}) {
                LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:" + port).usePlaintext()
                        .defaultServiceConfig(RETRIES).build();
                try {
                    call(channel);
                    seen.add(channel.snapshot());
                } finally {
                    channel.shutdownNow();
                    assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                }
            }
            assertThat(logs.records()).as("log records captured at every level").isNotEmpty();
            seen.addAll(logs.records());
        }

        assertThat(seen).as("statuses, exceptions, snapshots and log records").hasSizeGreaterThan(10);
        for (Object text : seen) {
            assertThat(text.toString()).doesNotContain(TOKEN).doesNotContain(API_KEY);
        }
    }

    private void call(LbChannel channel) {
        Metadata headers = new Metadata();
        headers.put(X_API_KEY, API_KEY);
        try {
            TestServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
                            MetadataUtils.newAttachHeadersInterceptor(headers)))
                    .withCallCredentials(new Bearer()).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .emptyCall(Empty.getDefaultInstance());
            seen.add("the call succeeded");
        } catch (StatusRuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            seen.add(e.getStatus());
            seen.add(trace);
            seen.add(e.getTrailers() == null ? "" : e.getTrailers().keys());
        }
    }

    /** A bearer token, the way OAuth call credentials add one. */
    private static final class Bearer extends CallCredentials {
        @Override
        public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
            Metadata metadata = new Metadata();
            metadata.put(AUTHORIZATION, "Bearer " + TOKEN);
            applier.apply(metadata);
        }
    }

    /** Refuses every call as a server that rejects the token does. */
    private static final class Refuse implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            call.close(Status.UNAUTHENTICATED.withDescription("token rejected"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
    }
}
