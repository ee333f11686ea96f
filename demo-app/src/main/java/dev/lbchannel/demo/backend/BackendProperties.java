package dev.lbchannel.demo.backend;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/** Where the demo's backends listen: {@code demo.backends.*}. */
@ConfigurationProperties("demo.backends")
public class BackendProperties {

    /** One loopback port per backend, ids from 1; 0 lets the OS pick a free port. */
    private List<Integer> ports = new ArrayList<>(List.of(0, 0, 0));

    public List<Integer> getPorts() {
        return ports;
    }

    public void setPorts(List<Integer> ports) {
        this.ports = ports;
    }
}
