package dev.lbchannel.balancer.ringhash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * gRFC A42's ring: entries sorted by hash, each naming an endpoint by its index. An endpoint of
 * weight w gets about {@code w / total × size} entries, at positions xxHash64({@code "<key>_<n>"})
 * for n = 0, 1, …, where the key is its first address ({@code host:port}, A61), as Envoy does.
 * Hashes are ordered as unsigned numbers, as in Envoy and gRPC's C-core. Immutable; lookups are
 * allocation-free and safe from any thread.
 *
 * <p>A lookup does not binary-search the whole ring: request hashes are random, so each step of a
 * search is a branch the CPU mispredicts half the time (about 55 ns for a ring of 2,000). A table
 * of where each range of hashes starts (by its top bits; about one entry per range) narrows it
 * to a range of one or two entries.
 */
final class Ring {

    /** At most this many ranges (a 256 KiB table), however large the ring. */
    private static final int MAX_RANGE_BITS = 16;
    /** In a range longer than this, binary search rather than scan. */
    private static final int SCAN_LIMIT = 8;

    /** Each entry's hash with its sign bit flipped, so that signed order is unsigned order. */
    private final long[] positions;
    private final int[] owners;
    /** Entries per endpoint, by index. */
    private final int[] entries;
    /** {@code rangeStarts[r]}: the first entry in range r or after; one more element for the end. */
    private final int[] rangeStarts;
    /** A hash's range is its top bits: the unsigned hash shifted right by this. */
    private final int rangeShift;

    private Ring(long[] positions, int[] owners, int[] entries) {
        this.positions = positions;
        this.owners = owners;
        this.entries = entries;
        // about as many ranges as entries (a power of two, at least two)
        int bits = Math.min(MAX_RANGE_BITS, 64 - Long.numberOfLeadingZeros(Math.max(1, positions.length - 1)));
        this.rangeShift = 64 - bits;
        this.rangeStarts = new int[(1 << bits) + 1];
        int entry = 0;
        for (int range = 0; range < rangeStarts.length; range++) {
            while (entry < positions.length && range((positions[entry] ^ Long.MIN_VALUE)) < range) {
                entry++;
            }
            rangeStarts[range] = entry;
        }
    }

    /** The range of an (unsigned) hash: its top bits. */
    private int range(long hash) {
        return (int) (hash >>> rangeShift);
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
        long key = hash ^ Long.MIN_VALUE;
        int range = range(hash);
        int from = rangeStarts[range];
        int to = rangeStarts[range + 1]; // every entry from here on is at or after the hash
        int found;
        if (to - from <= SCAN_LIMIT) {
            found = from;
            while (found < to && positions[found] < key) {
                found++;
            }
        } else {
            found = lowerBound(from, to, key);
        }
        return found == positions.length ? 0 : found;
    }

    /** The first entry in [from, to) at or after {@code key}, or {@code to}. */
    private int lowerBound(int from, int to, long key) {
        int low = from;
        int high = to;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (positions[middle] < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
