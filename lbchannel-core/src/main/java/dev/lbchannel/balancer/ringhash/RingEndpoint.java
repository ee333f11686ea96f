package dev.lbchannel.balancer.ringhash;

import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.channelz.SocketAddresses;
import dev.lbchannel.serializer.Serializer;
import io.grpc.ConnectivityState;
import io.grpc.Status;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One distinct endpoint of the ring: its subchannel, the state it counts as (A42's rules: a
 * failure sticks until READY; a lost connection makes it IDLE), its weight (how often it was
 * listed), its entries in the current ring, and the pick results that send a call to it or fail
 * it. Runs on the serializer, except {@link #connectFromPicker()} and {@link #entries()}, which
 * any thread may call.
 */
final class RingEndpoint {

    final Subchannel subchannel;
    /** What its ring positions are hashed from: its first address as {@code host:port} (A61), made once. */
    final String key;
    /** Sends a call here; made once. */
    final PickResult ready;
    private final Serializer serializer;
    /** At most one connection request in the serializer's queue at a time, however many picks ask. */
    private final AtomicBoolean connectQueued = new AtomicBoolean();
    private final Runnable connect = this::connectIfIdle;

    ConnectivityState state = ConnectivityState.IDLE;
    /** Fails a call that can go nowhere else, with this endpoint's last connection error. */
    PickResult failed = PickResult.withError(Status.UNAVAILABLE.withDescription("Not connected yet"));
    long weight;
    boolean removed;
    /** The last update that listed it, and how often that update did (its weight-to-be). */
    int listedIn;
    long listedWeight;
    private volatile int entries;

    RingEndpoint(Subchannel subchannel, Serializer serializer) {
        this.subchannel = subchannel;
        this.key = SocketAddresses.text(subchannel.endpoint().addresses().get(0));
        this.serializer = serializer;
        this.ready = PickResult.withSubchannel(subchannel);
    }

    /** The ring entries it has now; for channelz, from any thread. */
    int entries() {
        return entries;
    }

    void entries(int count) {
        entries = count;
    }

    /**
     * Asks the serializer to connect this endpoint, from a picker that found it IDLE (A42's
     * "trigger a connection attempt in the control plane"); the request checks it is still due
     * when it runs.
     */
    void connectFromPicker() {
        if (connectQueued.compareAndSet(false, true)) {
            serializer.execute(connect);
        }
    }

    private void connectIfIdle() {
        connectQueued.set(false);
        if (!removed && state == ConnectivityState.IDLE) {
            subchannel.requestConnection();
        }
    }
}
