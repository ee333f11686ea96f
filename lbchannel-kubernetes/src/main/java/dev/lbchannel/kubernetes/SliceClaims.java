package dev.lbchannel.kubernetes;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointClaims;
import dev.lbchannel.resolver.EndpointList;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Service's endpoints as its EndpointSlices claim them ({@link SliceEndpoints} per slice), kept
 * up to date slice by slice: a watch event costs O(endpoints of that slice), not O(endpoints of
 * the Service), and the list it leaves is derived from the last one ({@link EndpointClaims}), so
 * the balancers too apply only the pods that changed. An address in two slices is reported as the
 * slice first in name order has it. Confined to the resolver's serializer.
 */
final class SliceClaims {

    private final ServiceTarget target;
    private final EndpointClaims claims = new EndpointClaims();
    /** What each slice claims, by slice name. */
    private final Map<String, List<Endpoint>> bySlice = new HashMap<>();

    SliceClaims(ServiceTarget target) {
        this.target = target;
    }

    /** Replaces every slice with a fresh list of them; claimed in slice name order. */
    void relist(Collection<EndpointSlice> slices) {
        claims.clear();
        bySlice.clear();
        List<EndpointSlice> sorted = new ArrayList<>(slices);
        sorted.sort(SliceEndpoints.BY_NAME);
        for (EndpointSlice slice : sorted) {
            update(slice);
        }
    }

    /** A slice was added or changed. */
    void update(EndpointSlice slice) {
        claim(name(slice), SliceEndpoints.of(slice, target));
    }

    /** A slice was deleted. */
    void remove(EndpointSlice slice) {
        claim(name(slice), List.of());
    }

    /** The endpoints claimed now, derived from the list this last returned. */
    EndpointList endpoints() {
        return claims.endpoints();
    }

    private void claim(String name, List<Endpoint> now) {
        List<Endpoint> before = bySlice.getOrDefault(name, List.of());
        if (!before.isEmpty()) {
            Set<List<SocketAddress>> still = new HashSet<>();
            for (Endpoint endpoint : now) {
                still.add(endpoint.addresses());
            }
            for (Endpoint endpoint : before) {
                if (!still.contains(endpoint.addresses())) {
                    claims.release(name, endpoint.addresses());
                }
            }
        }
        for (Endpoint endpoint : now) {
            claims.claim(name, endpoint); // an unchanged claim changes nothing
        }
        if (now.isEmpty()) {
            bySlice.remove(name);
        } else {
            bySlice.put(name, now);
        }
    }

    private static String name(EndpointSlice slice) {
        return Objects.requireNonNullElse(slice.getMetadata().getName(), "");
    }
}
