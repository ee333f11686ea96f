package dev.lbchannel.actuate;

import dev.lbchannel.testing.LoopbackHttp;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Real HTTP requests to the test application's actuator, with the JSON parsed into maps and lists. */
public final class ActuatorHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LoopbackHttp http;

    public ActuatorHttp(int port) {
        this.http = new LoopbackHttp(port);
    }

    /** A response: its status and body text. */
    public record Response(int status, String body) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            return JSON.readValue(body, Map.class);
        }

        /** The body as a JSON array. */
        public List<Object> jsonList() {
            return list(JSON.readValue(body, List.class));
        }
    }

    public Response get(String path) {
        return response(http.get(path));
    }

    public Response post(String path) {
        return response(http.send("POST", path, "Content-Type", "application/json"));
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
