package dev.lbchannel.resolver;

import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

import static java.util.Objects.requireNonNull;

/**
 * Every address of an {@link EndpointList}, endpoint after endpoint, as one immutable list: what
 * a policy that merges its endpoints into one subchannel ({@code pick_first}) gives that
 * subchannel. One derived from the addresses of an earlier list keeps the endpoint list's
 * knowledge of what changed, so the subchannel applies a one-endpoint change without reading
 * the other n addresses (issue 18); the addresses themselves are worked out the first time
 * someone reads them, O(n) once.
 *
 * <p>An address listed by two endpoints appears twice: a policy that wants each address once
 * uses this list only while no address repeats. Thread-safe: racing readers work out equal
 * arrays.
 */
public final class EndpointAddresses extends AbstractList<SocketAddress> implements RandomAccess {

    private final EndpointList endpoints;
    private final int size;
    private volatile SocketAddress @Nullable [] elements;

    private EndpointAddresses(EndpointList endpoints, int size) {
        this.endpoints = endpoints;
        this.size = size;
    }

    /** The addresses of {@code endpoints}; reads every endpoint to count them. */
    public static EndpointAddresses of(EndpointList endpoints) {
        int size = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            size += endpoints.get(i).addresses().size();
        }
        return new EndpointAddresses(endpoints, size);
    }

    /**
     * The addresses of {@code endpoints}, a list derived from this one's endpoint list by
     * {@code changes} (what {@link EndpointList#changesSince} returned for the two): O(changes).
     */
    public EndpointAddresses derive(EndpointList next, List<EndpointList.Change> changes) {
        int nextSize = size;
        for (EndpointList.Change change : changes) {
            nextSize += count(change.added()) - count(change.removed());
        }
        return new EndpointAddresses(next, nextSize);
    }

    private static int count(List<Endpoint> endpoints) {
        int count = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            count += endpoints.get(i).addresses().size();
        }
        return count;
    }

    /**
     * How the endpoints behind {@code now} differ from those behind {@code earlier}, oldest change
     * first, when both are endpoint addresses and {@code now}'s endpoints were derived from
     * {@code earlier}'s in a few steps; {@code null} when that is not known (then compare the
     * lists). Reads no address.
     */
    public static @Nullable List<EndpointList.Change> changesSince(List<SocketAddress> earlier,
            List<SocketAddress> now) {
        if (earlier instanceof EndpointAddresses from && now instanceof EndpointAddresses to) {
            return EndpointList.changesSince(from.endpoints, to.endpoints);
        }
        return null;
    }

    @Override
    public SocketAddress get(int index) {
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

    /** Whether the addresses have been read; a change applied in O(1) never reads them. */
    public boolean isWorkedOut() {
        return elements != null;
    }

    private SocketAddress[] elements() {
        SocketAddress[] known = elements;
        if (known != null) {
            return known;
        }
        SocketAddress[] worked = new SocketAddress[size];
        int at = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            for (SocketAddress address : endpoints.get(i).addresses()) {
                worked[at++] = requireNonNull(address);
            }
        }
        elements = worked;
        return worked;
    }

    @Override
    public String toString() {
        return Arrays.toString(elements());
    }
}
