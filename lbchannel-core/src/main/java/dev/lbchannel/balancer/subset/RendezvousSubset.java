package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.base.AddressKey;
import dev.lbchannel.balancer.ringhash.XxHash64;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * gRFC A68's subsetting algorithm: each endpoint's first address, as {@code host:port} text, is
 * hashed with XXH64 and the client's seed; the {@code size} endpoints with the lowest hashes form
 * the subset. An endpoint's hash depends only on itself and the seed, so adding or removing one
 * endpoint changes at most one member of the subset (rendezvous hashing), and different seeds
 * spread clients evenly over the backends. Hashes compare unsigned; equal hashes keep resolver
 * order, so the choice is a function of the endpoint set.
 *
 * <p>Cost of a selection over n endpoints (issue 18): a hash lookup per endpoint (an endpoint's
 * hash is computed once, while it stays listed) and a bounded heap of {@code size}, so
 * O(n log size) time; garbage is the subset list and a hash per new endpoint. Used on one
 * balancer's serializer; not thread-safe.
 */
final class RendezvousSubset {

    private final long seed;
    /** The hashes of the endpoints the last selection saw, by their addresses. */
    private final Map<AddressKey, Rank> ranks = new HashMap<>();
    /** Looks ranks up without a key object each; used on the serializer only. */
    private final AddressKey probe = AddressKey.probe();
    /** Numbers the selections, so a rank knows whether this one saw it. */
    private int generation;
    /** A max-heap of the best candidates so far, by hash then resolver index; reused. */
    private long[] heapHashes = new long[0];
    private int[] heapIndexes = new int[0];
    private int heapSize;

    /** An endpoint's hash, and the last selection that saw it. */
    private static final class Rank {
        final long hash;
        int seenIn;

        Rank(long hash) {
            this.hash = hash;
        }
    }

    RendezvousSubset(long seed) {
        this.seed = seed;
    }

    /** A one-off selection; see {@link #select(List, int)}. */
    static List<Endpoint> select(List<Endpoint> endpoints, int size, long seed) {
        return new RendezvousSubset(seed).select(endpoints, size);
    }

    /**
     * The subset of {@code endpoints} of at most {@code size}, in resolver order (so a child
     * such as round_robin sees the order the resolver gave); all of them when there are no more
     * than {@code size}, as A68 says.
     */
    List<Endpoint> select(List<Endpoint> endpoints, int size) {
        int n = endpoints.size();
        if (n <= size) {
            ranks.clear(); // hashed again if the list outgrows the subset
            return endpoints;
        }
        if (heapHashes.length < size) {
            heapHashes = new long[size];
            heapIndexes = new int[size];
        }
        heapSize = 0;
        int update = ++generation;
        int before = ranks.size();
        int kept = 0;
        for (int i = 0; i < n; i++) { // indexed: no iterator
            Endpoint endpoint = endpoints.get(i);
            Rank rank = ranks.get(probe.point(endpoint.addresses()));
            if (rank == null) {
                rank = new Rank(hash(endpoint, seed));
                ranks.put(AddressKey.of(endpoint.addresses()), rank);
            } else if (rank.seenIn != update) {
                kept++;
            }
            rank.seenIn = update;
            offer(rank.hash, i, size);
        }
        if (kept < before) {
            forgetUnseen(update);
        }
        int[] chosen = Arrays.copyOf(heapIndexes, heapSize);
        Arrays.sort(chosen);
        Endpoint[] subset = new Endpoint[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            subset[i] = endpoints.get(chosen[i]);
        }
        return Arrays.asList(subset);
    }

    private void forgetUnseen(int update) {
        for (Iterator<Rank> it = ranks.values().iterator(); it.hasNext(); ) {
            if (it.next().seenIn != update) {
                it.remove();
            }
        }
    }

    /** Keeps candidate ({@code hash}, {@code index}) if it is among the {@code size} lowest so far. */
    private void offer(long hash, int index, int size) {
        if (heapSize < size) {
            int at = heapSize++;
            while (at > 0) { // sift up
                int parent = (at - 1) >>> 1;
                if (!above(hash, index, heapHashes[parent], heapIndexes[parent])) {
                    break;
                }
                heapHashes[at] = heapHashes[parent];
                heapIndexes[at] = heapIndexes[parent];
                at = parent;
            }
            heapHashes[at] = hash;
            heapIndexes[at] = index;
        } else if (above(heapHashes[0], heapIndexes[0], hash, index)) {
            siftDownFromTop(hash, index);
        }
    }

    /** Replaces the heap's largest with the candidate and restores the heap. */
    private void siftDownFromTop(long hash, int index) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize
                    && above(heapHashes[child + 1], heapIndexes[child + 1], heapHashes[child], heapIndexes[child])) {
                child++;
            }
            if (!above(heapHashes[child], heapIndexes[child], hash, index)) {
                break;
            }
            heapHashes[at] = heapHashes[child];
            heapIndexes[at] = heapIndexes[child];
            at = child;
        }
        heapHashes[at] = hash;
        heapIndexes[at] = index;
    }

    /** Whether (a, ai) ranks after (b, bi): by unsigned hash, then by resolver index. */
    private static boolean above(long a, int ai, long b, int bi) {
        int byHash = Long.compareUnsigned(a, b);
        return byHash > 0 || (byHash == 0 && ai > bi);
    }

    /** XXH64 of the endpoint's first address as channelz writes it ({@code 10.0.0.7:8443}), with {@code seed}. */
    static long hash(Endpoint endpoint, long seed) {
        byte[] key = SocketAddresses.text(endpoint.addresses().get(0)).getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(key, 0, key.length, seed);
    }
}
