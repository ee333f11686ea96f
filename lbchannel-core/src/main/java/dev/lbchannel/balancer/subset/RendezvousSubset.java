package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.ringhash.XxHash64;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * gRFC A68's subsetting algorithm: each endpoint's first address, as {@code host:port} text, is
 * hashed with XXH64 and the client's seed; the {@code size} endpoints with the lowest hashes form
 * the subset. An endpoint's hash depends only on itself and the seed, so adding or removing one
 * endpoint changes at most one member of the subset (rendezvous hashing), and different seeds
 * spread clients evenly over the backends. Hashes compare unsigned; equal hashes keep resolver
 * order, so the choice is a function of the endpoint set. Stateless.
 */
final class RendezvousSubset {

    private RendezvousSubset() {
    }

    /**
     * The subset of {@code endpoints} of at most {@code size}, in resolver order (so a child
     * such as round_robin sees the order the resolver gave); all of them when there are no more
     * than {@code size}, as A68 says.
     */
    static List<Endpoint> select(List<Endpoint> endpoints, int size, long seed) {
        int n = endpoints.size();
        if (n <= size) {
            return endpoints;
        }
        long[][] ranked = new long[n][];
        for (int i = 0; i < n; i++) {
            ranked[i] = new long[] {hash(endpoints.get(i), seed), i};
        }
        Arrays.sort(ranked, (a, b) -> {
            int byHash = Long.compareUnsigned(a[0], b[0]);
            return byHash != 0 ? byHash : Long.compare(a[1], b[1]);
        });
        boolean[] chosen = new boolean[n];
        for (int i = 0; i < size; i++) {
            chosen[(int) ranked[i][1]] = true;
        }
        List<Endpoint> subset = new ArrayList<>(size);
        for (int i = 0; i < n; i++) {
            if (chosen[i]) {
                subset.add(endpoints.get(i));
            }
        }
        return subset;
    }

    /** XXH64 of the endpoint's first address as channelz writes it ({@code 10.0.0.7:8443}), with {@code seed}. */
    static long hash(Endpoint endpoint, long seed) {
        byte[] key = SocketAddresses.text(endpoint.addresses().get(0)).getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(key, 0, key.length, seed);
    }
}
