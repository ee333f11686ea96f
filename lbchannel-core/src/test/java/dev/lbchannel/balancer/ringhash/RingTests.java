package dev.lbchannel.balancer.ringhash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A42's ring construction and lookup, and what consistent hashing promises when an endpoint leaves. */
@Timeout(10)
class RingTests {

    private static List<Ring.Member> members(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Ring.Member("10.0.0." + (i + 1) + ":8080", 1)).toList();
    }

    private static long hash(String text) {
        return XxHash64.hash(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void equalWeightsGetEqualEntriesAndTheSmallestSizeAtLeastTheMinimumThatAllowsIt() {
        Ring ring = Ring.build(members(3), 1024, 4096);
        // 1024 / 3 is not whole: each gets ceil(341.33) = 342, so the ring has 1026 entries
        assertThat(ring.size()).isEqualTo(1026);
        assertThat(List.of(ring.entries(0), ring.entries(1), ring.entries(2))).containsOnly(342);
    }

    @Test
    void weightScalesTheEntries() {
        Ring ring = Ring.build(List.of(new Ring.Member("10.0.0.1:8080", 1), new Ring.Member("10.0.0.2:8080", 2)),
                1024, 4096);
        assertThat(ring.entries(0)).isEqualTo(342);
        assertThat(ring.entries(1)).isEqualTo(684);
    }

    @Test
    void theMaximumCapsTheSizeAndTheEntriesFollowTheShares() {
        Ring ring = Ring.build(members(3), 1024, 100);
        assertThat(ring.size()).isEqualTo(100);
        assertThat(List.of(ring.entries(0), ring.entries(1), ring.entries(2))).containsExactly(34, 33, 33);
    }

    @Test
    void entriesSitAtTheHashesOfTheAddressAndTheirNumberInUnsignedOrder() {
        Ring ring = Ring.build(members(2), 4, 4);
        Set<Long> expected = new HashSet<>();
        for (int n = 0; n < 2; n++) {
            expected.add(hash("10.0.0.1:8080_" + n));
            expected.add(hash("10.0.0.2:8080_" + n));
        }
        List<Long> found = new ArrayList<>();
        long previous = 0;
        for (int entry = 0; entry < ring.size(); entry++) {
            // the entry found for an entry's own hash is that entry
            long position = positionOf(ring, entry, expected);
            found.add(position);
            assertThat(Long.compareUnsigned(position, previous)).isGreaterThanOrEqualTo(0);
            previous = position;
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** The hash among {@code candidates} that {@code entry} is at. */
    private static long positionOf(Ring ring, int entry, Set<Long> candidates) {
        return candidates.stream().filter(h -> ring.entryFor(h) == entry).findFirst().orElseThrow();
    }

    @Test
    void aHashGoesToTheFirstEntryAtOrAfterItAndWrapsPastTheLast() {
        Ring ring = Ring.build(members(2), 4, 4);
        long first = hash("10.0.0.1:8080_0");
        int at = ring.entryFor(first);
        assertThat(ring.entryFor(first - 1)).isEqualTo(at);
        assertThat(ring.entryFor(first)).isEqualTo(at);
        assertThat(ring.entryFor(first + 1)).isEqualTo((at + 1) % ring.size());
        assertThat(ring.entryFor(-1L)).as("the largest unsigned hash").isEqualTo(0);
        assertThat(ring.entryFor(0L)).as("the smallest").isEqualTo(0);
    }

    @Test
    void lookupsAgreeWithAScanOfTheWholeRingForSmallAndLargeRings() {
        // 2,050 entries: about one per range of hashes; 600,000: more than eight per range
        for (int[] shape : new int[][] {{10, 2048}, {3, 600_000}}) {
            List<Ring.Member> members = members(shape[0]);
            Ring ring = Ring.build(members, shape[1], shape[1]);
            long[] positions = expectedPositions(members, ring);
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < 20_000; i++) {
                // entries' own hashes and their neighbours, then anywhere
                long h = i < 300 ? positions[random.nextInt(positions.length)] + (i % 3 - 1) : random.nextLong();
                assertThat(ring.entryFor(h)).as("hash %s", Long.toUnsignedString(h))
                        .isEqualTo(firstAtOrAfter(positions, h));
            }
        }
    }

    /** The ring's hashes in unsigned order, computed from A42's construction. */
    private static long[] expectedPositions(List<Ring.Member> members, Ring ring) {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            for (int n = 0; n < ring.entries(i); n++) {
                all.add(hash(members.get(i).key() + "_" + n));
            }
        }
        return all.stream().sorted(Long::compareUnsigned).mapToLong(Long::longValue).toArray();
    }

    /** A plain binary search over the whole ring, in unsigned order, wrapping past the end. */
    private static int firstAtOrAfter(long[] positions, long h) {
        int low = 0;
        int high = positions.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(positions[middle], h) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == positions.length ? 0 : low;
    }

    @Test
    void whenAnEndpointLeavesAndTheOthersKeepTheirEntriesOnlyItsKeysMove() {
        // minimum = maximum = 4 per endpoint, with five endpoints and with four
        Ring five = Ring.build(members(5), 20, 20);
        Ring four = Ring.build(members(4), 16, 16);
        int moved = 0;
        for (int k = 0; k < 10_000; k++) {
            long h = hash("key-" + k);
            int before = five.owner(five.entryFor(h));
            int after = four.owner(four.entryFor(h));
            if (before != 4) {
                assertThat(after).as("key-%d", k).isEqualTo(before);
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(500, 4000); // about a fifth, lumpy with four entries each
    }

    @Test
    void withTheDefaultSizesAnEndpointLeavingMovesItsKeysAndAFewMoreAsTheRingRegrows() {
        int n = 5;
        Ring before = Ring.build(members(n), 1024, 4096);
        Ring after = Ring.build(members(n - 1), 1024, 4096);
        int keys = 20_000;
        int moved = 0;
        int movedFromOthers = 0;
        for (int k = 0; k < keys; k++) {
            long h = hash("key-" + k);
            int was = before.owner(before.entryFor(h));
            int is = after.owner(after.entryFor(h));
            if (was != is) {
                moved++;
                if (was != n - 1) {
                    movedFromOthers++;
                }
            }
        }
        // The leaving endpoint's fifth moves; the others' rings grow from 205 to 256 entries each,
        // and the new entries take about another tenth (0.317 and 0.101 for these addresses).
        assertThat((double) moved / keys).isBetween(0.2, 0.35);
        assertThat((double) movedFromOthers / keys).isLessThan(0.12);
    }
}
