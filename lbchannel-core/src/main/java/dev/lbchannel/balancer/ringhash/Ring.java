package dev.lbchannel.balancer.ringhash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * gRFC A42's ring: entries sorted by hash, each naming an endpoint by its index. An endpoint of
 * weight w gets about {@code w / total × size} entries, at positions xxHash64({@code "<key>_<n>"})
 * for n = 0, 1, …, where the key is its first address ({@code host:port}, A61), as Envoy does.
 * Hashes are ordered as unsigned numbers, as in Envoy and gRPC's C-core. Immutable; lookups are
 * allocation-free and safe from any thread.
 */
final class Ring {

    /** Each entry's hash with its sign bit flipped, so that signed order is unsigned order. */
    private final long[] positions;
    private final int[] owners;
    /** Entries per endpoint, by index. */
    private final int[] entries;

    private Ring(long[] positions, int[] owners, int[] entries) {
        this.positions = positions;
        this.owners = owners;
        this.entries = entries;
    }

    /** An endpoint as the ring needs it: the text its positions are hashed from, and its weight. */
    record Member(String key, long weight) {
    }

    /**
     * Builds the ring as A42 (after Envoy) says: the size is the smallest at or above
     * {@code minSize} that gives the lightest endpoint a whole number of entries, but at most
     * {@code maxSize}; endpoints take entries in turn until each has its share of that size.
     *
     * @param members not empty; weights at least 1
     */
    static Ring build(List<Member> members, long minSize, long maxSize) {
        long total = 0;
        long lightest = Long.MAX_VALUE;
        for (Member member : members) {
            total += member.weight();
            lightest = Math.min(lightest, member.weight());
        }
        double smallestShare = (double) lightest / total;
        double scale = Math.min(Math.ceil(smallestShare * minSize) / smallestShare, maxSize);
        List<long[]> built = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, (long) scale + members.size()));
        int[] entries = new int[members.size()];
        double placed = 0;
        double target = 0;
        StringBuilder key = new StringBuilder();
        for (int owner = 0; owner < members.size(); owner++) {
            Member member = members.get(owner);
            target += scale * member.weight() / total;
            key.setLength(0);
            key.append(member.key()).append('_');
            int prefix = key.length();
            for (long n = 0; placed < target; n++, placed++) {
                key.setLength(prefix);
                key.append(n);
                long hash = XxHash64.hash(key.toString().getBytes(StandardCharsets.UTF_8));
                built.add(new long[] {hash ^ Long.MIN_VALUE, owner});
                entries[owner]++;
            }
        }
        // By position, then by endpoint, so that a collision orders the same way every time.
        built.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        long[] positions = new long[built.size()];
        int[] owners = new int[built.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = built.get(i)[0];
            owners[i] = (int) built.get(i)[1];
        }
        return new Ring(positions, owners, entries);
    }

    int size() {
        return positions.length;
    }

    /** Entries the endpoint at {@code index} has. */
    int entries(int index) {
        return entries[index];
    }

    /** The endpoint index at entry {@code entry}, in [0, {@link #size()}). */
    int owner(int entry) {
        return owners[entry];
    }

    /**
     * The entry a request with {@code hash} starts from: the first whose hash is at or after it,
     * wrapping past the largest to the first (A42).
     */
    int entryFor(long hash) {
        int found = Arrays.binarySearch(positions, hash ^ Long.MIN_VALUE);
        if (found < 0) {
            found = -found - 1; // the insertion point: the first entry above
        } else {
            while (found > 0 && positions[found - 1] == positions[found]) {
                found--; // the first of equal entries
            }
        }
        return found == positions.length ? 0 : found;
    }
}
