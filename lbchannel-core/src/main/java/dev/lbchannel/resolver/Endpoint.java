package dev.lbchannel.resolver;

import dev.lbchannel.channelz.SocketAddresses;
import io.grpc.Attributes;

import java.net.SocketAddress;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One backend as a resolver reports it: the addresses that reach it, in the order to try them,
 * and attributes for balancers. Two endpoints are equal when their addresses and attributes are.
 */
public record Endpoint(List<SocketAddress> addresses, Attributes attributes) {

    public Endpoint {
        requireNonNull(addresses, "addresses");
        // Already immutable, and copying would read every address of a merged list (issue 18).
        addresses = addresses instanceof EndpointAddresses ? addresses : List.copyOf(addresses);
        requireNonNull(attributes, "attributes");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("An endpoint needs at least one address");
        }
    }

    /** An endpoint with these addresses and no attributes. */
    public static Endpoint of(SocketAddress... addresses) {
        return new Endpoint(List.of(addresses), Attributes.EMPTY);
    }

    @Override
    public String toString() {
        return addresses.size() == 1 ? SocketAddresses.text(addresses.get(0))
                : addresses.stream().map(SocketAddresses::text).toList().toString();
    }
}
