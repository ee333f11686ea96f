package dev.lbchannel.resolver;

import org.jspecify.annotations.Nullable;

import java.lang.ref.WeakReference;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import static java.util.Objects.requireNonNull;

/**
 * An immutable endpoint list that knows how it differs from the list it was derived from, so a
 * balancer that accepted that earlier list applies the difference instead of reading every
 * endpoint: a one-endpoint change in a list of n costs the balancers O(1), not O(n) (issue 18).
 *
 * <p>A resolver that learns of changes one at a time (a registry's watch) keeps the last list it
 * reported and reports {@code last.with(removed, added)}: the same endpoints without the removed
 * ones, which must be the very objects of the earlier list, and with the added ones at the end.
 * Deriving copies nothing: the derived list's elements are worked out the first time someone
 * reads them (a balancer that does not know the earlier list, a third-party policy), O(n) once.
 * To bound what a chain of derived lists holds, a list whose changes since the last worked-out
 * one reach max(32, half its size) is worked out when it is derived: O(1) amortised per change;
 * until then the chain holds those changes (a few small objects each, and the endpoints they
 * removed). A list never holds on to an earlier list it no longer needs: the link
 * {@link #changesSince} follows is weak.
 *
 * <p>A derived list's order is the earlier list's, less the removed endpoints, with the added
 * ones at the end: a resolver whose order means something (DNS for {@code pick_first}) reports
 * whole lists instead. Removing an endpoint equal to one of the list's but not that very object
 * is not detected until the list is worked out, which then fails saying so.
 *
 * <p>Thread-safe once safely published (as {@link ResolverListener#onResult} does on its way to
 * the channel's serializer): a resolver derives on its thread, balancers read on the serializer.
 */
public final class EndpointList extends AbstractList<Endpoint> implements RandomAccess {

    /** How many derivations {@link #changesSince} follows back; further back, the whole list is read. */
    private static final int MAX_STEPS = 16;
    /** A chain shorter than this is never worked out early: tiny lists are cheap to read anyway. */
    private static final int MIN_CHAIN_CHANGES = 32;

    private static final EndpointList EMPTY = new EndpointList(new Endpoint[0]);

    /** How one list differs from the one it was derived from. */
    public record Change(List<Endpoint> removed, List<Endpoint> added) {

        public Change {
            removed = List.copyOf(requireNonNull(removed, "removed"));
            added = List.copyOf(requireNonNull(added, "added"));
        }
    }

    private final int size;
    /** The elements, once worked out; then {@link #base} is no longer needed. */
    private volatile Endpoint @Nullable [] elements;
    /** The list this one was derived from, held until the elements are worked out. */
    private volatile @Nullable EndpointList base;
    /** The same, for {@link #changesSince} only: it must not keep the earlier list alive. */
    private final @Nullable WeakReference<EndpointList> derivedFrom;
    private final @Nullable Change change;
    /** Endpoints removed and added since the nearest worked-out list in the chain. */
    private final int pendingChanges;

    private EndpointList(Endpoint[] elements) {
        this.size = elements.length;
        this.elements = elements;
        this.base = null;
        this.derivedFrom = null;
        this.change = null;
        this.pendingChanges = 0;
    }

    private EndpointList(EndpointList base, Change change) {
        this.size = base.size - change.removed().size() + change.added().size();
        if (size < 0) {
            throw new IllegalArgumentException("Removes " + change.removed().size() + " endpoints from a list of "
                    + base.size + "; remove only endpoints of the list being derived from");
        }
        this.base = base;
        this.derivedFrom = new WeakReference<>(base);
        this.change = change;
        this.pendingChanges = (base.elements != null ? 0 : base.pendingChanges)
                + change.removed().size() + change.added().size();
    }

    /** A list of {@code endpoints}, copied; it knows no earlier list. */
    public static EndpointList of(List<Endpoint> endpoints) {
        if (endpoints instanceof EndpointList list) {
            return list;
        }
        if (endpoints.isEmpty()) {
            return EMPTY;
        }
        return new EndpointList(endpoints.toArray(new Endpoint[0])).checkedNoNulls();
    }

    /**
     * {@code endpoints} itself when it is an {@code EndpointList} (deriving one must not cost a
     * copy), else an immutable copy, as {@link List#copyOf} makes.
     */
    public static List<Endpoint> immutable(List<Endpoint> endpoints) {
        return endpoints instanceof EndpointList ? endpoints : List.copyOf(endpoints);
    }

    private EndpointList checkedNoNulls() {
        for (Endpoint endpoint : requireNonNull(elements)) {
            requireNonNull(endpoint, "endpoints must not contain null");
        }
        return this;
    }

    /**
     * This list without {@code removed} and with {@code added} at the end.
     *
     * @param removed endpoints of this list, the same objects (an endpoint listed twice is
     *     removed once per time it is named here)
     * @throws IllegalArgumentException when more endpoints are removed than the list holds
     */
    public EndpointList with(List<Endpoint> removed, List<Endpoint> added) {
        return with(new Change(removed, added));
    }

    /** This list changed by {@code change}; see {@link #with(List, List)}. */
    public EndpointList with(Change change) {
        if (change.removed().isEmpty() && change.added().isEmpty()) {
            return this;
        }
        EndpointList derived = new EndpointList(this, change);
        if (derived.pendingChanges >= Math.max(MIN_CHAIN_CHANGES, derived.size / 2)) {
            derived.elements(); // bounds the chain: see the class comment
        }
        return derived;
    }

    /**
     * {@code next}'s endpoints as a list derived from {@code previous}, for a resolver that re-reads
     * its whole source but whose order does not matter (a registry): the balancers then apply only
     * what changed. Equal endpoints are the same endpoint; the result keeps {@code previous}'s
     * order and objects for the endpoints that stay, with the new ones at the end. Returns
     * {@code previous} itself when nothing changed, and a fresh list in {@code next}'s order when
     * there is no previous list or more than half of it changed. O(n) hashing, on the resolver's
     * side: a resolver that knows its changes should derive with {@link #with} instead.
     */
    public static EndpointList reconcile(@Nullable EndpointList previous, List<Endpoint> next) {
        if (previous == null) {
            return of(next);
        }
        Map<Endpoint, int[]> wanted = new HashMap<>(Math.max(16, next.size() * 4 / 3 + 1));
        for (int i = 0; i < next.size(); i++) {
            wanted.computeIfAbsent(requireNonNull(next.get(i), "endpoints must not contain null"), e -> new int[1])[0]++;
        }
        List<Endpoint> removed = new ArrayList<>(0);
        for (int i = 0; i < previous.size(); i++) {
            Endpoint endpoint = previous.get(i);
            int[] count = wanted.get(endpoint);
            if (count != null && count[0] > 0) {
                count[0]--;
            } else {
                removed.add(endpoint);
            }
        }
        List<Endpoint> added = new ArrayList<>(0);
        for (int i = 0; i < next.size(); i++) {
            Endpoint endpoint = next.get(i);
            int[] count = wanted.get(endpoint);
            if (count[0] > 0) {
                count[0]--;
                added.add(endpoint);
            }
        }
        if (removed.size() + added.size() > Math.max(1, previous.size() / 2)) {
            return of(next);
        }
        return previous.with(removed, added);
    }

    /** This list with {@code endpoint} added at the end. */
    public EndpointList withAdded(Endpoint endpoint) {
        return with(List.of(), List.of(endpoint));
    }

    /** This list without {@code endpoint}, an object of this list. */
    public EndpointList without(Endpoint endpoint) {
        return with(List.of(endpoint), List.of());
    }

    /**
     * The changes, oldest first, that turn {@code earlier} into {@code now}, when {@code now} was
     * derived from it in at most a few steps; {@code null} when that is not known (then the whole
     * list must be read). Costs O(steps), reads no endpoint.
     */
    public static @Nullable List<Change> changesSince(@Nullable List<Endpoint> earlier, List<Endpoint> now) {
        if (earlier == null || !(now instanceof EndpointList list)) {
            return null;
        }
        if (earlier == now) {
            return List.of();
        }
        WeakReference<EndpointList> direct = list.derivedFrom;
        if (direct != null && direct.get() == earlier) {
            return List.of(requireNonNull(list.change)); // the usual case: one step, one small object
        }
        Change[] steps = new Change[MAX_STEPS];
        EndpointList at = list;
        for (int count = 0; count < MAX_STEPS; count++) {
            WeakReference<EndpointList> link = at.derivedFrom;
            EndpointList previous = link == null ? null : link.get();
            if (previous == null) {
                return null;
            }
            steps[count] = requireNonNull(at.change);
            if (previous == earlier) {
                List<Change> changes = new ArrayList<>(count + 1);
                for (int i = count; i >= 0; i--) {
                    changes.add(steps[i]);
                }
                return changes;
            }
            at = previous;
        }
        return null;
    }

    @Override
    public Endpoint get(int index) {
        return elements()[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return elements().clone();
    }

    /**
     * Whether the elements have been worked out, so reading them costs nothing more; a balancer
     * that applies a change never needs them (tests check that it does not read them).
     */
    public boolean isWorkedOut() {
        return elements != null;
    }

    /**
     * The elements, worked out once from the nearest worked-out list in the chain: its elements
     * and every added endpoint after them, in order, less one occurrence per removal. Racing
     * readers may both work them out; they get equal arrays.
     */
    private Endpoint[] elements() {
        Endpoint[] known = elements;
        if (known != null) {
            return known;
        }
        List<Change> chain = new ArrayList<>();
        EndpointList at = this;
        Endpoint[] start;
        while (true) {
            // The base first: it is dropped only after the elements are set, so a null base means set elements.
            EndpointList atBase = at.base;
            Endpoint[] atElements = at.elements;
            if (atElements != null) {
                start = atElements;
                break;
            }
            chain.add(requireNonNull(at.change));
            at = requireNonNull(atBase, "a derived list's base is held until its elements are known");
        }
        Map<Endpoint, int[]> removals = new IdentityHashMap<>();
        List<Endpoint> appended = new ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Change step = chain.get(i);
            for (Endpoint removed : step.removed()) {
                removals.computeIfAbsent(removed, e -> new int[1])[0]++;
            }
            appended.addAll(step.added());
        }
        List<Endpoint> worked = new ArrayList<>(size);
        keep(Arrays.asList(start), removals, worked);
        keep(appended, removals, worked);
        for (Map.Entry<Endpoint, int[]> left : removals.entrySet()) {
            if (left.getValue()[0] > 0) {
                throw new IllegalStateException("An endpoint list was derived by removing " + left.getKey()
                        + ", which was not in it; remove the very Endpoint objects of the list derived from");
            }
        }
        Endpoint[] array = worked.toArray(new Endpoint[0]);
        elements = array;
        base = null;
        return array;
    }

    /** Adds {@code from} to {@code to}, skipping one occurrence per pending removal. */
    private static void keep(List<Endpoint> from, Map<Endpoint, int[]> removals, List<Endpoint> to) {
        for (int i = 0; i < from.size(); i++) {
            Endpoint endpoint = from.get(i);
            int[] pending = removals.isEmpty() ? null : removals.get(endpoint);
            if (pending != null && pending[0] > 0) {
                pending[0]--;
            } else {
                to.add(endpoint);
            }
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(elements());
    }
}
