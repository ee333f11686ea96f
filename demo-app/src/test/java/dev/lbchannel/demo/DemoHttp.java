package dev.lbchannel.demo;

import dev.lbchannel.actuate.ActuatorHttp;
import dev.lbchannel.actuate.ActuatorHttp.Response;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.lbchannel.actuate.ActuatorHttp.list;
import static dev.lbchannel.actuate.ActuatorHttp.map;

/** Real HTTP requests to the running demo (through the actuator tests' client), and the demo's own questions. */
public final class DemoHttp {

    private final ActuatorHttp http;

    public DemoHttp(int port) {
        this.http = new ActuatorHttp(port);
    }

    public Response get(String path) {
        return http.get(path);
    }

    public Response post(String path) {
        return http.post(path);
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
}
