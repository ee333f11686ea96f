package dev.lbchannel.kubernetes;

import dev.lbchannel.testing.Await;
import dev.lbchannel.testing.TcpProxy;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's mock API server in CRUD mode (a real HTTP server on loopback that stores what is
 * created and streams watch events over WebSockets), with an {@link #admin()} client that talks
 * to it directly, as kubectl would, and a {@link #resolverClient()} that reaches it through an
 * {@link TcpProxy}, so a test can cut the resolver off while it changes the slices.
 *
 * <p>Two things it does not do as a real API server does, and what the tests do about them:
 * a watch opened with a {@code resourceVersion} is not replayed from that version; it starts
 * with an ADDED event for every object that exists, which is enough for a resolver that reopens
 * a watch to see what was added or changed meanwhile (not what was deleted). And it never
 * compacts, so it never answers 410 Gone by itself: {@link #goneOnNextWatch()} makes the next
 * watch request get the 410 that an expired {@code resourceVersion} gets. (A mock
 * expectation could do the same, but it matches the whole query string, which fabric8 builds.)
 */
final class MockApiServer implements AutoCloseable {

    static final String NAMESPACE = "shop";
    private static final String GONE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}";

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
    private final AtomicInteger goneWatches = new AtomicInteger();
    private final AtomicInteger watchRequests = new AtomicInteger();
    private final AtomicInteger openWatches = new AtomicInteger();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient admin;
    private final TcpProxy relay;

    MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath() != null && request.getPath().contains("watch=true")) {
                    watchRequests.incrementAndGet();
                    if (goneWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return goneWatch();
                    }
                }
                MockResponse response = crud.dispatch(request);
                WebSocketListener watch = response.getWebSocketListener();
                return watch == null ? response : response.withWebSocketUpgrade(new CountedWatch(watch));
            }
        }, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
        try {
            relay = new TcpProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a real API server answers a watch from a compacted {@code resourceVersion}: the watch
     * opens, then its first event is an ERROR carrying a 410 Status ("too old resource version").
     */
    private static MockResponse goneWatch() {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send("{\"type\":\"ERROR\",\"object\":" + GONE + "}");
            }
        });
    }

    /**
     * Cuts the resolver off from the API server (see {@link TcpProxy#refuse()}) and returns once the
     * server has dropped every watch the cut ended. Changed before then, a slice would be sent to a
     * watch whose connection is failing, and fabric8's mock deadlocks on that: its watch listener
     * waits, on the server's only event loop, for the send, which needs that event loop to finish
     * (30 s, after which every watch opened meanwhile does the same).
     */
    void cutResolverOff() {
        relay.refuse();
        Await.until("the API server to drop the resolver's watch", () -> openWatches.get() == 0);
    }

    /** A client as the application would have one: namespace {@value #NAMESPACE}, quick to retry in tests. */
    KubernetesClient resolverClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + relay.port())
                .withNamespace(NAMESPACE)
                .withWatchReconnectInterval(200)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000)
                .withRequestTimeout(5_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    NamespacedKubernetesClient admin() {
        return admin;
    }

    TcpProxy relay() {
        return relay;
    }

    /** Answers the next watch request with 410 Gone. */
    void goneOnNextWatch() {
        goneWatches.incrementAndGet();
    }

    int watchRequests() {
        return watchRequests.get();
    }

    /** Creates or replaces {@code slice} in {@value #NAMESPACE}. */
    void apply(EndpointSlice slice) {
        admin.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(slice).createOr(existing -> existing.update());
    }

    void delete(String name) {
        admin.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(name).delete();
    }

    /** A slice of Service {@code service} with one endpoint at {@code ip}, its port named {@code grpc}. */
    static EndpointSlice slice(String service, String name, String ip, int port, EndpointState state,
            @Nullable String zone) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                    .addToLabels(KubernetesResolver.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("grpc").withPort(port).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses(List.of(ip)).withZone(zone)
                    .withNewConditions().withReady(state.ready).withServing(state.serving)
                        .withTerminating(state.terminating).endConditions()
                .endEndpoint()
                .build();
    }

    /** An endpoint's conditions, as the EndpointSlice controller sets them. */
    enum EndpointState {
        READY(true, true, false),
        /** A pod being deleted that still passes its readiness probe: no new calls. */
        TERMINATING(false, true, true),
        NOT_READY(false, false, false);

        final boolean ready;
        final boolean serving;
        final boolean terminating;

        EndpointState(boolean ready, boolean serving, boolean terminating) {
            this.ready = ready;
            this.serving = serving;
            this.terminating = terminating;
        }
    }

    /** A watch the CRUD dispatcher serves, counted in {@link #openWatches} from its opening until its end is handled. */
    private final class CountedWatch extends WebSocketListener {

        private final WebSocketListener delegate;
        private final AtomicBoolean open = new AtomicBoolean();

        CountedWatch(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            if (open.compareAndSet(false, true)) {
                openWatches.incrementAndGet();
            }
            delegate.onOpen(webSocket, response);
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onPing(WebSocket webSocket, byte[] payload) {
            delegate.onPing(webSocket, payload);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            delegate.onClosed(webSocket, code, reason);
            ended();
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            delegate.onFailure(webSocket, failure, response);
            ended();
        }

        /** Counted after the delegate returns: only then has the dispatcher stopped sending to it. */
        private void ended() {
            if (open.compareAndSet(true, false)) {
                openWatches.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
        if (admin != null) {
            admin.close();
        }
        server.destroy();
    }
}
