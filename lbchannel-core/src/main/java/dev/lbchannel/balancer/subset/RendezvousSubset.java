package dev.lbchannel.balancer.subset;

import dev.lbchannel.balancer.base.AddressKey;
import dev.lbchannel.balancer.ringhash.XxHash64;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;

import dev.lbchannel.resolver.EndpointList;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * gRFC A68's subsetting algorithm: each endpoint's first address, as {@code host:port} text, is
 * hashed with XXH64 and the client's seed; the {@code size} endpoints with the lowest hashes form
 * the subset. An endpoint's hash depends only on itself and the seed, so adding or removing one
 * endpoint changes at most one member of the subset (rendezvous hashing), and different seeds
 * spread clients evenly over the backends. Hashes compare unsigned; equal hashes (endpoints that
 * share a first address) rank in the order they were first listed.
 *
 * <p>Cost (issue 18): every listed endpoint is hashed once while it stays listed and kept in a
 * tree by rank (about 80 B each, only while the list is longer than the subset). When the list is
 * an {@link EndpointList} derived from the last one, only its changes are applied: O(log n) per
 * changed endpoint, then O(size) to read the subset off the tree, and the subset goes to the child
 * as a list derived from the last subset, so the child too applies only what changed. Otherwise a
 * hash lookup per endpoint, O(n), and the subset in resolver order. Used on one balancer's
 * serializer; not thread-safe.
 */
final class RendezvousSubset {

    private static final Comparator<Rank> BY_RANK = (a, b) -> {
        int byHash = Long.compareUnsigned(a.hash, b.hash);
        return byHash != 0 ? byHash : Long.compare(a.sequence, b.sequence);
    };

    private final long seed;
    /** The endpoints of the last selection, by their addresses. */
    private final Map<AddressKey, Rank> ranks = new HashMap<>();
    /** The same, best first. */
    private final TreeSet<Rank> byRank = new TreeSet<>(BY_RANK);
    /** Looks ranks up without a key object each; used on the serializer only. */
    private final AddressKey probe = AddressKey.probe();
    /** Numbers the selections, so a rank knows whether this one saw it. */
    private int generation;
    private long nextSequence;
    /** The resolver's list of the last selection, to recognise a list derived from it. */
    private @Nullable List<Endpoint> accepted;
    private int acceptedSize;
    /** The subset handed out last, and its members. */
    private EndpointList subset = EndpointList.of(List.of());
    private Rank[] members = new Rank[0];
    private int memberCount;
    private Rank[] top = new Rank[0];

    /** An endpoint's hash and bookkeeping. */
    private static final class Rank {
        final long hash;
        final long sequence;
        /** The endpoint object the subset holds for it. */
        Endpoint endpoint;
        /** How many times the current list names its addresses. */
        int listings = 1;
        int seenIn;
        /** Its position in the resolver's list, during a whole-list selection. */
        int index;
        int topIn;
        boolean member;

        Rank(long hash, long sequence, Endpoint endpoint) {
            this.hash = hash;
            this.sequence = sequence;
            this.endpoint = endpoint;
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
     * The subset of {@code endpoints} of at most {@code size}; all of them when there are no more
     * than {@code size}, as A68 says. A whole-list selection keeps resolver order (so a child such
     * as round_robin sees the order the resolver gave); a change adds new members at the end.
     */
    List<Endpoint> select(List<Endpoint> endpoints, int size) {
        List<EndpointList.Change> changes = EndpointList.changesSince(accepted, endpoints);
        accepted = null; // a selection that throws half-way leaves the next one to read the whole list
        if (endpoints.size() <= size) {
            forgetAll(); // hashed again if the list outgrows the subset
            return endpoints;
        }
        if (top.length < size) {
            top = new Rank[size];
        }
        if (changes != null && size == acceptedSize && apply(changes)) {
            subset = subset.with(leaveAndJoin(size));
        } else {
            subset = selectAll(endpoints, size);
        }
        accepted = endpoints;
        acceptedSize = size;
        return subset;
    }

    private EndpointList selectAll(List<Endpoint> endpoints, int size) {
        int update = ++generation;
        int before = ranks.size();
        int kept = 0;
        for (int i = 0; i < endpoints.size(); i++) { // indexed: no iterator
            Endpoint endpoint = endpoints.get(i);
            Rank rank = ranks.get(probe.point(endpoint.addresses()));
            if (rank == null) {
                rank = add(endpoint);
            } else if (rank.seenIn == update) {
                rank.listings++;
                continue; // listed twice: ranked once, at its first place
            } else {
                rank.listings = 1;
                kept++;
            }
            rank.seenIn = update;
            rank.index = i;
            rank.endpoint = endpoint;
        }
        if (kept < before) {
            forgetUnseen(update);
        }
        leaveAndJoin(size); // the change is not needed: a whole-list selection hands out a fresh list
        Rank[] chosen = Arrays.copyOf(members, memberCount);
        Arrays.sort(chosen, Comparator.comparingInt(rank -> rank.index));
        Endpoint[] inOrder = new Endpoint[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            inOrder[i] = chosen[i].endpoint;
        }
        return EndpointList.of(Arrays.asList(inOrder));
    }

    /**
     * The changes of a derived list, every addition before any removal (as the base balancer
     * applies them). Returns {@code false} when an endpoint came back with other attributes:
     * which object the subset should hold is then the whole list's to say.
     */
    private boolean apply(List<EndpointList.Change> changes) {
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> added = changes.get(c).added();
            for (int i = 0; i < added.size(); i++) {
                Endpoint endpoint = added.get(i);
                Rank rank = ranks.get(probe.point(endpoint.addresses()));
                if (rank == null) {
                    add(endpoint);
                } else if (AddressKey.sameEndpoint(rank.endpoint, endpoint)) {
                    rank.listings++;
                } else {
                    return false;
                }
            }
        }
        for (int c = 0; c < changes.size(); c++) {
            List<Endpoint> removed = changes.get(c).removed();
            for (int i = 0; i < removed.size(); i++) {
                AddressKey key = probe.point(removed.get(i).addresses());
                Rank rank = ranks.get(key);
                if (rank != null && --rank.listings == 0) {
                    ranks.remove(key);
                    byRank.remove(rank);
                }
            }
        }
        return true;
    }

    private Rank add(Endpoint endpoint) {
        Rank rank = new Rank(hash(endpoint, seed), nextSequence++, endpoint);
        ranks.put(AddressKey.of(endpoint.addresses()), rank);
        byRank.add(rank);
        return rank;
    }

    /** Reads the best {@code size} ranks into {@link #top}, marking them; returns how many. */
    private int readTop(int size) {
        int mark = ++generation;
        int count = 0;
        for (Iterator<Rank> it = byRank.iterator(); count < size && it.hasNext(); ) {
            Rank rank = it.next();
            rank.topIn = mark;
            top[count++] = rank;
        }
        return count;
    }

    /**
     * Makes the best {@code size} ranks the members; returns how the subset changes, in the
     * members' endpoint objects: O(size).
     */
    private EndpointList.Change leaveAndJoin(int size) {
        int count = readTop(size);
        int mark = generation;
        List<Endpoint> left = new ArrayList<>(0);
        for (int i = 0; i < memberCount; i++) {
            Rank member = members[i];
            if (member.topIn != mark) { // fell behind, or no longer listed
                member.member = false;
                left.add(member.endpoint);
            }
        }
        List<Endpoint> joined = new ArrayList<>(0);
        for (int i = 0; i < count; i++) {
            Rank rank = top[i];
            if (!rank.member) {
                rank.member = true;
                joined.add(rank.endpoint);
            }
        }
        Rank[] previous = members;
        Arrays.fill(previous, 0, memberCount, null); // holds no rank that went
        members = top;
        memberCount = count;
        top = previous.length >= size ? previous : new Rank[size];
        return new EndpointList.Change(left, joined);
    }

    private void forgetUnseen(int update) {
        for (Iterator<Rank> it = ranks.values().iterator(); it.hasNext(); ) {
            Rank rank = it.next();
            if (rank.seenIn != update) {
                it.remove();
                byRank.remove(rank);
            }
        }
    }

    private void forgetAll() {
        ranks.clear();
        byRank.clear();
        Arrays.fill(members, null);
        Arrays.fill(top, null);
        memberCount = 0;
        subset = EndpointList.of(List.of());
    }

    /** XXH64 of the endpoint's first address as channelz writes it ({@code 10.0.0.7:8443}), with {@code seed}. */
    static long hash(Endpoint endpoint, long seed) {
        byte[] key = SocketAddresses.text(endpoint.addresses().get(0)).getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(key, 0, key.length, seed);
    }
}
