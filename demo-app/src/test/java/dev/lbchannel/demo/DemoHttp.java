package dev.lbchannel.demo;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real HTTP requests to the running demo, with JSON parsed into maps and lists. */
public final class DemoHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final int port;

    public DemoHttp(int port) {
        this.port = port;
    }

    /** A response: its status and body text. */
    public record Response(int status, String body) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return JSON.readValue(body, Map.class);
        }

        public List<Object> jsonList() {
            return list(JSON.readValue(body, List.class));
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
    }

    public Response post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code GET /backends}: backend id to its {@code 127.0.0.1:port} address. */
    public Map<Integer, String> backendAddresses() {
        Map<Integer, String> addresses = new LinkedHashMap<>();
        for (Object backend : get("/backends").jsonList()) {
            addresses.put((Integer) map(backend).get("id"), (String) map(backend).get("address"));
        }
        return addresses;
    }

    /** The channel's subchannels as {@code /actuator/channelz/{channel}} shows them: first address to state. */
    public Map<String, String> subchannelStates(String channel) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Object subchannel : list(get("/actuator/channelz/" + channel).json().get("subchannels"))) {
            states.put((String) list(map(subchannel).get("addresses")).get(0), (String) map(subchannel).get("state"));
        }
        return states;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
