package dev.lbchannel.samples.balancer;

import dev.lbchannel.balancer.Subchannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parsed {@code preferred_subnets} block: {@code {"subnets": ["10.20.0.0/16", ...]}}. An
 * endpoint is preferred when any of its addresses is in any of the subnets. Immutable.
 */
record PreferredSubnetsConfig(List<Subnet> subnets) {

    /** No preference: every READY backend is used alike, as with round_robin. */
    static final PreferredSubnetsConfig NONE = new PreferredSubnetsConfig(List.of());

    PreferredSubnetsConfig {
        subnets = List.copyOf(subnets);
    }

    /**
     * Reads the policy's block from the service config.
     *
     * @throws IllegalArgumentException naming the field when {@code subnets} is missing, empty,
     *     not a list of strings, or holds something that is not a CIDR subnet
     */
    static PreferredSubnetsConfig parse(Map<String, ?> raw) {
        Object value = raw.get("subnets");
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("subnets must be a non-empty list of CIDR subnets, like"
                    + " [\"10.20.0.0/16\"], was " + value);
        }
        List<Subnet> subnets = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String cidr)) {
                throw new IllegalArgumentException("subnets[" + i + "] must be a string, was " + list.get(i));
            }
            try {
                subnets.add(Subnet.parse(cidr.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("subnets[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new PreferredSubnetsConfig(subnets);
    }

    boolean prefers(Subchannel subchannel) {
        for (SocketAddress address : subchannel.endpoint().addresses()) {
            if (address instanceof InetSocketAddress inet && inet.getAddress() != null && inSubnets(inet)) {
                return true;
            }
        }
        return false;
    }

    private boolean inSubnets(InetSocketAddress address) {
        for (Subnet subnet : subnets) {
            if (subnet.contains(address.getAddress())) {
                return true;
            }
        }
        return false;
    }
}
