package dev.lbchannel.resolver;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Endpoints claimed by named sources (an etcd key, a Kubernetes EndpointSlice), for a resolver
 * that learns of its sources' changes one at a time. An address claimed by several sources is
 * reported once, as the first source in name order claims it. {@link #endpoints()} gives the list
 * as an {@link EndpointList} derived from the last one it gave, so the balancers apply only what
 * changed; endpoints that stay keep their place, new ones come last.
 *
 * <p>Cost: O(log s) per claim or release (s the sources claiming that address, usually one),
 * and the change since the last {@link #endpoints()} call: nothing grows with the number of
 * endpoints but {@link #clear()}, O(n), for a relist. An endpoint that leaves and comes back (or comes and leaves) between two calls is
 * no change. Not thread-safe: confine it to the resolver's serializer.
 */
public final class EndpointClaims {

    /** By address list: who claims it, and with what endpoint, in source name order. */
    private final Map<List<SocketAddress>, TreeMap<String, Endpoint>> claims = new HashMap<>();
    /** The endpoint each address list is reported as: the very object in {@link #endpoints}. */
    private final Map<List<SocketAddress>, Endpoint> reported = new HashMap<>();
    private EndpointList endpoints = EndpointList.of(List.of());
    /** The change since the last {@link #endpoints()}, netted; by endpoint, in the order it happened. */
    private Map<Endpoint, Endpoint> removed = new LinkedHashMap<>();
    private Map<Endpoint, Endpoint> added = new LinkedHashMap<>();
    /** Entries put into those since they were made: a map that grew is replaced, not cleared. */
    private int noted;

    /** {@code source} claims {@code endpoint}, replacing what it claimed at the same addresses. */
    public void claim(String source, Endpoint endpoint) {
        requireNonNull(source, "source");
        List<SocketAddress> addresses = endpoint.addresses();
        claims.computeIfAbsent(addresses, a -> new TreeMap<>()).put(source, endpoint);
        settle(addresses);
    }

    /** {@code source} no longer claims {@code addresses}; nothing happens if it did not. */
    public void release(String source, List<SocketAddress> addresses) {
        TreeMap<String, Endpoint> claimants = claims.get(addresses);
        if (claimants == null || claimants.remove(source) == null) {
            return;
        }
        if (claimants.isEmpty()) {
            claims.remove(addresses);
        }
        settle(addresses);
    }

    /** Forgets every claim; the next {@link #endpoints()} reports only what is claimed after this. */
    public void clear() {
        for (List<SocketAddress> addresses : new ArrayList<>(reported.keySet())) {
            claims.remove(addresses);
            settle(addresses);
        }
        claims.clear();
    }

    /**
     * The endpoints claimed now, derived from the list this last returned (the first list holds
     * them in the order they were first claimed).
     */
    public EndpointList endpoints() {
        if (!removed.isEmpty() || !added.isEmpty()) {
            endpoints = endpoints.with(new ArrayList<>(removed.values()), new ArrayList<>(added.values()));
        }
        if (noted > 32) {
            // A hash map keeps its largest table, and clearing one costs that table's length:
            // after a relist of 100,000, every later one-endpoint change would pay it (and a
            // relist that changed nothing would keep two such tables for nothing).
            removed = new LinkedHashMap<>();
            added = new LinkedHashMap<>();
            noted = 0;
        } else {
            removed.clear();
            added.clear();
        }
        return endpoints;
    }

    /** Reports {@code addresses} as its first claimant claims it, or not at all when none does. */
    private void settle(List<SocketAddress> addresses) {
        TreeMap<String, Endpoint> claimants = claims.get(addresses);
        Endpoint wanted = claimants == null ? null : claimants.firstEntry().getValue();
        Endpoint current = reported.get(addresses);
        if (wanted == null) {
            if (current != null) {
                reported.remove(addresses);
                leave(current);
            }
        } else if (!wanted.equals(current)) {
            if (current != null) {
                leave(current);
            }
            reported.put(addresses, join(wanted));
        }
    }

    /** Notes {@code endpoint} as added, or takes back an equal one removed since the last list; returns the one listed. */
    private Endpoint join(Endpoint endpoint) {
        Endpoint back = removed.remove(endpoint);
        if (back != null) {
            return back; // gone and back again: the list keeps its object
        }
        added.put(endpoint, endpoint);
        noted++;
        return endpoint;
    }

    /** Notes {@code endpoint} as removed, unless it was added since the last list (then it never reached it). */
    private void leave(Endpoint endpoint) {
        if (added.get(endpoint) == endpoint) {
            added.remove(endpoint);
        } else {
            removed.put(endpoint, endpoint);
            noted++;
        }
    }
}
