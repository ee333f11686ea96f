package dev.lbchannel;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAttributes;
import io.grpc.Attributes;

import java.net.SocketAddress;
import java.util.Map;

/**
 * The authority a subchannel's connection to one address uses (its calls' {@code :authority}
 * and the name TLS verifies): the channel's, unless the resolver named the address's own
 * ({@link EndpointAttributes#AUTHORITY}, or {@link EndpointAttributes#ADDRESS_AUTHORITIES} where
 * a balancer merged endpoints into one address list) and the builder did not set the channel's,
 * which always wins. Immutable.
 */
record ConnectionAuthority(String channelAuthority, boolean overridden) {

    String forAddress(Endpoint endpoint, SocketAddress address) {
        if (overridden) {
            return channelAuthority;
        }
        Attributes attributes = endpoint.attributes();
        Map<SocketAddress, String> byAddress = attributes.get(EndpointAttributes.ADDRESS_AUTHORITIES);
        String own = byAddress != null ? byAddress.get(address) : attributes.get(EndpointAttributes.AUTHORITY);
        return own != null ? own : channelAuthority;
    }
}
