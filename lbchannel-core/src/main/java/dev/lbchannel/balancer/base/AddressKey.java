package dev.lbchannel.balancer.base;

import dev.lbchannel.resolver.Endpoint;

import java.net.SocketAddress;
import java.util.List;

/**
 * An endpoint's addresses as a hash key whose lookups allocate nothing. A {@code List} key would
 * do, but the JDK's immutable lists compare through an iterator of the other list: one object per
 * lookup, per endpoint, per resolver update, which escape analysis removes only while the update
 * path's call sites stay monomorphic (not in a JVM that has run other code through them).
 *
 * <p>Stored keys are immutable. {@link #probe()} gives a key that one thread re-points at each
 * list it looks up; it must never be stored.
 */
public final class AddressKey {

    private List<SocketAddress> addresses;
    private int hash;

    private AddressKey(List<SocketAddress> addresses) {
        point(addresses);
    }

    /** A key to store in a map. */
    public static AddressKey of(List<SocketAddress> addresses) {
        return new AddressKey(addresses);
    }

    /** A reusable key for lookups by one thread: {@link #point} it at the addresses to find. */
    public static AddressKey probe() {
        return new AddressKey(List.of());
    }

    /** Re-points this probe; returns it, for {@code map.get(probe.point(addresses))}. */
    public AddressKey point(List<SocketAddress> addresses) {
        this.addresses = addresses;
        int h = 1;
        for (int i = 0; i < addresses.size(); i++) { // indexed, as the list's own hashCode may not be
            h = 31 * h + addresses.get(i).hashCode();
        }
        this.hash = h;
        return this;
    }

    /** Whether two address lists are equal, compared by index (no iterator). */
    public static boolean sameAddresses(List<SocketAddress> a, List<SocketAddress> b) {
        if (a == b) {
            return true;
        }
        int size = a.size();
        if (size != b.size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code a.equals(b)} for endpoints, without the iterator the JDK's list comparison makes. */
    public static boolean sameEndpoint(Endpoint a, Endpoint b) {
        return a == b || (sameAddresses(a.addresses(), b.addresses()) && a.attributes().equals(b.attributes()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressKey other && hash == other.hash && sameAddresses(addresses, other.addresses);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return addresses.toString();
    }
}
