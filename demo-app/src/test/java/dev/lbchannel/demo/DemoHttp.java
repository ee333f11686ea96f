package dev.lbchannel.demo;

import dev.lbchannel.testing.LoopbackHttp;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real HTTP requests to the running demo, with JSON parsed into maps and lists. */
public final class DemoHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LoopbackHttp http;

    public DemoHttp(int port) {
        this.http = new LoopbackHttp(port);
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
        return response(http.get(path));
    }

    public Response post(String path) {
        return response(http.send("POST", path));
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

    private static Response response(HttpResponse<String> response) {
        return new Response(response.statusCode(), response.body());
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
