package dev.lbchannel;

import dev.lbchannel.balancer.Picker;
import io.grpc.Status;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds the balancer's current picker for the RPC path and the RPCs no picker could serve yet
 * (the seed's pickerWrapper plus grpc-java's delayed transport). Reading the picker is one
 * volatile read; only RPCs that must wait take the lock, and they are picked again whenever a
 * new picker arrives.
 */
final class PickerHolder {

    private final Object lock = new Object();
    private final Runnable pendingChanged;
    private volatile Picker picker;
    // @GuardedBy("lock")
    private final Set<ChannelCall<?, ?>> pending = new LinkedHashSet<>();

    /**
     * @param initial the picker before the balancer publishes one
     * @param pendingChanged told (on any thread, with no lock held) when the set of waiting RPCs
     *     may have become empty or non-empty; it re-reads {@link #hasPending()}
     */
    PickerHolder(Picker initial, Runnable pendingChanged) {
        this.picker = initial;
        this.pendingChanged = pendingChanged;
    }

    Picker picker() {
        return picker;
    }

    /** Picks for {@code call} until it has a stream or failed, or parks it for the next picker. */
    void pickOrPark(ChannelCall<?, ?> call) {
        Picker current = picker;
        while (!call.tryPick(current)) {
            if (park(call, current)) {
                return;
            }
            current = picker;
        }
    }

    /**
     * Parks {@code call} until the next picker, unless the picker changed since the call saw
     * {@code seen}: then the call must pick again at once.
     *
     * @return whether the call was parked
     */
    boolean park(ChannelCall<?, ?> call, Picker seen) {
        boolean first;
        synchronized (lock) {
            if (picker != seen) {
                return false;
            }
            first = pending.isEmpty();
            pending.add(call);
        }
        if (first) {
            pendingChanged.run();
        }
        return true;
    }

    /** Forgets a parked call that was cancelled. */
    void remove(ChannelCall<?, ?> call) {
        boolean nowEmpty;
        synchronized (lock) {
            nowEmpty = pending.remove(call) && pending.isEmpty();
        }
        if (nowEmpty) {
            pendingChanged.run();
        }
    }

    boolean hasPending() {
        synchronized (lock) {
            return !pending.isEmpty();
        }
    }

    /** Installs a new picker and picks every parked call again. Runs on the serializer. */
    void update(Picker newPicker) {
        picker = newPicker;
        List<ChannelCall<?, ?>> parked;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            parked = new ArrayList<>(pending);
        }
        List<ChannelCall<?, ?>> done = new ArrayList<>(parked.size());
        for (ChannelCall<?, ?> call : parked) {
            if (call.repick(newPicker)) {
                done.add(call);
            }
        }
        boolean nowEmpty;
        synchronized (lock) {
            done.forEach(pending::remove);
            nowEmpty = !done.isEmpty() && pending.isEmpty();
        }
        if (nowEmpty) {
            pendingChanged.run();
        }
    }

    /** Fails every parked call with {@code status}; for {@code shutdownNow}. */
    void failAll(Status status) {
        List<ChannelCall<?, ?>> parked;
        synchronized (lock) {
            parked = new ArrayList<>(pending);
            pending.clear();
        }
        for (ChannelCall<?, ?> call : parked) {
            call.cancel(status);
        }
        if (!parked.isEmpty()) {
            pendingChanged.run();
        }
    }
}
