package dev.lbchannel;

import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAddresses;
import dev.lbchannel.resolver.EndpointList;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.List;
import java.util.StringJoiner;

/**
 * How a subchannel's address list changed, and whether an address it is connected or connecting
 * to is still listed. When the new list was derived from the old one by a few endpoint changes
 * ({@link EndpointAddresses#changesSince}), it answers from those changes without reading the
 * other addresses, so a one-endpoint change in a merged list of n costs O(1) (issue 18); for
 * other lists it compares them whole. Immutable; made and used on the serializer.
 */
final class AddressUpdate {

    private final List<SocketAddress> now;
    /** The endpoint changes, oldest first; {@code null} when the lists are compared whole. */
    private final @Nullable List<EndpointList.Change> changes;
    private final boolean unchanged;

    private AddressUpdate(List<SocketAddress> now, @Nullable List<EndpointList.Change> changes, boolean unchanged) {
        this.now = now;
        this.changes = changes;
        this.unchanged = unchanged;
    }

    static AddressUpdate between(List<SocketAddress> before, List<SocketAddress> now) {
        List<EndpointList.Change> changes = EndpointAddresses.changesSince(before, now);
        if (changes != null) {
            return new AddressUpdate(now, changes, changes.isEmpty());
        }
        return new AddressUpdate(now, null, before.equals(now));
    }

    boolean isUnchanged() {
        return unchanged;
    }

    /**
     * Whether {@code address}, one of the earlier list's, is in the new list. From changes, only
     * the removal of an endpoint listing it needs the new list read: another endpoint, or a later
     * change, may list it too.
     */
    boolean keeps(SocketAddress address) {
        if (changes != null) {
            boolean removed = false;
            for (int i = 0; i < changes.size() && !removed; i++) {
                removed = lists(changes.get(i).removed(), address);
            }
            if (!removed) {
                return true;
            }
        }
        return now.contains(address);
    }

    private static boolean lists(List<Endpoint> endpoints, SocketAddress address) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).addresses().contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** For the subchannel's trace: what was added and removed, or the whole new list. */
    @Override
    public String toString() {
        if (changes == null) {
            return "Addresses changed to " + now.stream().map(SocketAddresses::text).toList();
        }
        StringJoiner added = new StringJoiner(", ", "added [", "]");
        StringJoiner removed = new StringJoiner(", ", "removed [", "]");
        for (EndpointList.Change change : changes) {
            change.added().forEach(endpoint -> added.add(endpoint.toString()));
            change.removed().forEach(endpoint -> removed.add(endpoint.toString()));
        }
        return "Addresses changed: " + added + ", " + removed + "; " + now.size() + " in all";
    }
}
