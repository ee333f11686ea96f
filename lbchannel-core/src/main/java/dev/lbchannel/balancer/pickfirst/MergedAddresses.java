package dev.lbchannel.balancer.pickfirst;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointAttributes;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The one endpoint {@code pick_first} gives its subchannel: every resolved address, endpoint
 * after endpoint, each once (at its first listing), with the authority each address's endpoint
 * named. Kept from one resolution to the next so that a one-endpoint change of a derived list
 * ({@link EndpointList#changesSince}) costs O(1), not a read of all n addresses (issue 18): it
 * counts each address's listings, and while none is listed twice, no endpoint names its own
 * authority and the list is not to be shuffled, the merged list is the endpoint list's
 * {@link EndpointAddresses}, derived change by change. Otherwise it is built whole, as before.
 * Not thread-safe: the balancer's, on the serializer.
 */
final class MergedAddresses {

    /** How many endpoints list each address (a small count is a cached Integer: no garbage). */
    private final Map<SocketAddress, Integer> listings = new HashMap<>();
    /** Addresses listed more than once: each is merged at its first listing only. */
    private int repeated;
    /** Endpoints naming their own authority: the merged endpoint then maps address to authority. */
    private int named;
    private @Nullable List<Endpoint> lastEndpoints;
    /** The last merged list, when it was the endpoints' own addresses; else {@code null}. */
    private @Nullable EndpointAddresses lastMerged;

    /** The merged endpoint of {@code endpoints}; {@code null} when there is no address at all. */
    @Nullable Endpoint merge(List<Endpoint> endpoints, boolean shuffle) {
        List<EndpointList.Change> changes = shuffle || lastMerged == null ? null
                : EndpointList.changesSince(lastEndpoints, endpoints);
        lastEndpoints = endpoints;
        if (changes != null) {
            for (EndpointList.Change change : changes) {
                count(change.removed(), -1);
                count(change.added(), 1);
            }
            if (repeated == 0 && named == 0 && !endpoints.isEmpty()) {
                lastMerged = requireNonNull(lastMerged).derive((EndpointList) endpoints, changes);
                return new Endpoint(lastMerged, Attributes.EMPTY);
            }
        }
        return mergeWhole(endpoints, shuffle);
    }

    private @Nullable Endpoint mergeWhole(List<Endpoint> endpoints, boolean shuffle) {
        lastMerged = null;
        listings.clear();
        repeated = 0;
        named = 0;
        if (endpoints.isEmpty()) {
            return null;
        }
        // Only a list that later lists can be derived from is worth counting for their changes.
        if (!shuffle && endpoints instanceof EndpointList list) {
            count(endpoints, 1);
            if (repeated == 0 && named == 0) {
                lastMerged = EndpointAddresses.of(list);
                return new Endpoint(lastMerged, Attributes.EMPTY);
            }
        }
        List<SocketAddress> addresses = new ArrayList<>(endpoints.size());
        Map<SocketAddress, String> authorities = new HashMap<>();
        Set<SocketAddress> seen = new HashSet<>(endpoints.size() * 4 / 3 + 1);
        for (Endpoint endpoint : endpoints) {
            String authority = endpoint.attributes().get(EndpointAttributes.AUTHORITY);
            for (SocketAddress address : endpoint.addresses()) {
                // An address listed twice keeps its first listing's place and authority.
                if (seen.add(address)) {
                    addresses.add(address);
                    if (authority != null) {
                        authorities.put(address, authority);
                    }
                }
            }
        }
        if (shuffle) {
            Collections.shuffle(addresses);
        }
        Attributes attributes = authorities.isEmpty() ? Attributes.EMPTY
                : Attributes.newBuilder().set(EndpointAttributes.ADDRESS_AUTHORITIES, Map.copyOf(authorities)).build();
        return new Endpoint(addresses, attributes);
    }

    /** Adds {@code delta} (1 or -1) to the listings of every address of {@code endpoints}. */
    private void count(List<Endpoint> endpoints, int delta) {
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            if (endpoint.attributes().get(EndpointAttributes.AUTHORITY) != null) {
                named += delta;
            }
            List<SocketAddress> addresses = endpoint.addresses();
            for (int a = 0; a < addresses.size(); a++) {
                SocketAddress address = addresses.get(a);
                Integer before = listings.get(address);
                int after = (before == null ? 0 : before) + delta;
                if (after > 0) {
                    listings.put(address, after);
                } else {
                    listings.remove(address);
                }
                if (after == 2 && delta > 0) {
                    repeated++;
                } else if (after == 1 && delta < 0) {
                    repeated--;
                }
            }
        }
    }
}
