package dev.lbchannel;

import dev.lbchannel.resolver.Endpoint;

import java.net.SocketAddress;
import java.util.List;

/**
 * A subchannel's endpoint and its place in a pass over the endpoint's addresses: each attempt
 * takes the current address, a failed one moves on to the next, and a pass that ran out, a
 * connection made or lost, or an address that left starts the next pass from the first. Runs on
 * the serializer, except {@link #endpoint()}, which any thread reads (channelz).
 */
final class AddressPass {

    private volatile Endpoint endpoint;
    private int index;

    AddressPass(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Takes {@code next}; the pass keeps its place (see {@link #resumeAt}). */
    AddressUpdate update(Endpoint next) {
        Endpoint old = endpoint;
        endpoint = next;
        return AddressUpdate.between(old.addresses(), next.addresses());
    }

    /** Replaces the endpoint without comparing the lists: a shut-down subchannel only shows it. */
    void replace(Endpoint next) {
        endpoint = next;
    }

    /** The address to try now. */
    SocketAddress current() {
        List<SocketAddress> addresses = endpoint.addresses();
        if (index >= addresses.size()) {
            index = 0;
        }
        return addresses.get(index);
    }

    /** The attempt at the current address failed: whether this pass has another address. */
    boolean advance() {
        index++;
        if (index < endpoint.addresses().size()) {
            return true;
        }
        index = 0;
        return false;
    }

    /** The next attempt starts a pass, from the first address. */
    void restart() {
        index = 0;
    }

    /** An attempt at {@code address} goes on in the new list: the pass continues from its place. */
    void resumeAt(SocketAddress address) {
        index = endpoint.addresses().indexOf(address);
    }
}
