package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.PickArgs;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import io.grpc.ConnectivityState;
import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * The ring and every endpoint's state at one moment (A42: a new picker for every state change).
 * A call's hash is its {@link RingHash#HASH_KEY} option, else the hash of its
 * {@code requestHashHeader} (A76), else random. From the entry nearest the hash it walks the ring
 * as A61 says: the first READY endpoint takes the call; an IDLE one is asked to connect and the
 * call waits; a CONNECTING one makes the call wait; a failed one is passed over; if all failed,
 * the call fails with the first one's error. A random hash (A76) instead takes the first READY
 * endpoint anywhere on the ring, asking at most one IDLE endpoint to connect, and none while one
 * is connecting. A pick takes no lock and, with the option or no header, allocates nothing.
 * Immutable.
 */
final class RingHashPicker implements Picker {

    private final Ring ring;
    private final RingEndpoint[] endpoints;
    private final ConnectivityState[] states;
    /** Each endpoint's failure, as of this picker. */
    private final PickResult[] failed;
    private final Metadata.@Nullable Key<byte[]> header;
    private final LongSupplier random;
    private final boolean anyConnecting;

    /** @param states each endpoint's state, by index, taken now; the picker keeps the array */
    RingHashPicker(Ring ring, RingEndpoint[] endpoints, ConnectivityState[] states,
            Metadata.@Nullable Key<byte[]> header, LongSupplier random) {
        this.ring = ring;
        this.endpoints = endpoints;
        this.states = states;
        this.header = header;
        this.random = random;
        boolean connecting = false;
        for (ConnectivityState state : states) {
            connecting |= state == ConnectivityState.CONNECTING;
        }
        this.anyConnecting = connecting;
        this.failed = new PickResult[endpoints.length];
        for (int i = 0; i < endpoints.length; i++) {
            failed[i] = endpoints[i].failed;
        }
    }

    @Override
    public PickResult pick(PickArgs args) {
        Long hash = args.callOptions().getOption(RingHash.HASH_KEY);
        if (hash != null) {
            return pickFrom(ring.entryFor(hash));
        }
        if (header != null) {
            Iterable<byte[]> values = args.headers().getAll(header);
            if (values != null) {
                byte[] key = joined(values.iterator());
                if (key.length > 0) {
                    return pickFrom(ring.entryFor(XxHash64.hash(key)));
                }
            }
        }
        return pickAnyFrom(ring.entryFor(random.getAsLong()));
    }

    /** The header's value, or its values joined with commas (A76); the value itself when single. */
    private static byte[] joined(Iterator<byte[]> values) {
        byte[] first = values.next();
        if (!values.hasNext()) {
            return first;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(first);
        while (values.hasNext()) {
            all.write(',');
            all.writeBytes(values.next());
        }
        return all.toByteArray();
    }

    /** A61's walk for a call with a hash of its own. */
    private PickResult pickFrom(int first) {
        int size = ring.size();
        for (int i = 0, entry = first; i < size; i++, entry = entry + 1 == size ? 0 : entry + 1) {
            int owner = ring.owner(entry);
            switch (states[owner]) {
                case READY:
                    return endpoints[owner].ready;
                case IDLE:
                    endpoints[owner].connectFromPicker();
                    return PickResult.withNoResult();
                case CONNECTING:
                    return PickResult.withNoResult();
                default:
                    break; // failed: try the next endpoint on the ring
            }
        }
        return failed[ring.owner(first)];
    }

    /** A76's walk for a random hash: any READY endpoint, at most one new connection. */
    private PickResult pickAnyFrom(int first) {
        int size = ring.size();
        boolean requested = anyConnecting;
        for (int i = 0, entry = first; i < size; i++, entry = entry + 1 == size ? 0 : entry + 1) {
            int owner = ring.owner(entry);
            ConnectivityState state = states[owner];
            if (state == ConnectivityState.READY) {
                return endpoints[owner].ready;
            }
            if (!requested && state == ConnectivityState.IDLE) {
                endpoints[owner].connectFromPicker();
                requested = true;
            }
        }
        return requested ? PickResult.withNoResult() : failed[ring.owner(first)];
    }

    @Override
    public String toString() {
        return "RingHashPicker{" + endpoints.length + " endpoints, " + ring.size() + " entries}";
    }
}
