package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.lbchannel.balancer.PickResult;
import dev.lbchannel.balancer.Picker;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.transport.ClientTransport;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Holds the balancer's current picker for the RPC path and the calls no picker could serve yet
 * (the seed's pickerWrapper plus grpc-java's delayed transport). Reading the picker is one
 * volatile read; only calls that must wait take the lock, and they are picked again whenever a
 * new picker arrives. Once {@linkplain #close closed} (no picker will ever come again: the
 * channel shut its balancer down) a call that would wait fails instead, so none is left parked
 * where nothing will wake it.
 */
final class PickerHolder {

    private final Object lock = new Object();
    private final Runnable pendingChanged;
    private final Function<Throwable, Status> panic;
    private volatile Picker picker;
    @GuardedBy("lock")
    private final Set<PreCommitStream> pending = new LinkedHashSet<>();
    /** Why no call may wait any more; {@code null} while pickers may still come. */
    @GuardedBy("lock")
    private @Nullable Status closed;

    /**
     * @param initial the picker before the balancer publishes one
     * @param pendingChanged told (on any thread, with no lock held) when the set of waiting calls
     *     may have become empty or non-empty; it re-reads {@link #hasPending()}
     * @param panic told when a picker throws; returns the status the call fails with
     */
    PickerHolder(Picker initial, Runnable pendingChanged, Function<Throwable, Status> panic) {
        this.picker = initial;
        this.pendingChanged = pendingChanged;
        this.panic = panic;
    }

    Picker picker() {
        return picker;
    }

    /**
     * Picks for each attempt {@code call} wants until none is left, or parks the call for the
     * next picker; fails it with the holder's close status when no picker will come again.
     */
    void pickOrPark(PreCommitStream call) {
        Picker current = picker;
        while (call.wantsPick()) {
            if (tryPick(call, current)) {
                continue;
            }
            Picker seen = current;
            boolean first = false;
            Status refusal;
            synchronized (lock) {
                refusal = closed;
                current = picker;
                if (refusal == null && current == seen) {
                    first = pending.isEmpty();
                    pending.add(call);
                    call.parked();
                }
            }
            if (refusal != null) {
                call.cancel(refusal);
                return;
            }
            if (current != seen) {
                continue; // a new picker came while this one was tried: try it at once
            }
            if (first) {
                pendingChanged.run();
            }
            if (!call.wantsPick()) {
                remove(call); // ended (deadline, cancel) while parking: it must not stay parked
            }
            return;
        }
    }

    /**
     * Picks once for {@code call} with {@code picker}: true when an attempt got a subchannel or
     * failed (a failed pick fails a fail-fast attempt, a drop the whole call), false when it must
     * wait for the next picker. Any thread; never under the lock, since the call and its
     * credentials run here.
     */
    private boolean tryPick(PreCommitStream call, Picker picker) {
        PickResult result;
        DefaultSubchannel subchannel = null;
        try {
            result = picker.pick(call);
            Subchannel picked = result.subchannel();
            if (picked != null) {
                subchannel = DefaultSubchannel.unwrap(picked);
            }
        } catch (RuntimeException e) {
            call.fail(panic.apply(e));
            return true;
        }
        if (subchannel != null) {
            ClientTransport transport = subchannel.readyTransport();
            if (transport == null) {
                return false; // it lost its connection (or it is going away): wait for the next picker
            }
            call.startAttempt(subchannel, transport, result.outcomeListener());
            return true;
        }
        Status status = result.status();
        if (status.isOk()) {
            return false;
        }
        if (result.isDrop()) {
            call.fail(ControlPlaneStatus.sanitize(status)); // a drop is never retried (gRFC A6)
            return true;
        }
        if (!call.callOptions().isWaitForReady()) {
            call.pickFailed(ControlPlaneStatus.sanitize(status));
            return true;
        }
        return false;
    }

    /** Forgets a parked call that ended. */
    void remove(PreCommitStream call) {
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
        List<PreCommitStream> parked;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            parked = new ArrayList<>(pending);
        }
        List<PreCommitStream> settled = new ArrayList<>(parked.size());
        for (PreCommitStream call : parked) {
            while (call.wantsPick() && tryPick(call, newPicker)) {
                // each successful pick starts one attempt; a hedged call may want more
            }
            if (!call.wantsPick()) {
                settled.add(call);
            }
        }
        boolean nowEmpty;
        synchronized (lock) {
            settled.forEach(pending::remove);
            nowEmpty = !settled.isEmpty() && pending.isEmpty();
        }
        if (nowEmpty) {
            pendingChanged.run();
        }
    }

    /**
     * No picker will come again: fails every parked call with {@code status}, and every call
     * that would park from now on. Idempotent; the first status stays.
     */
    void close(Status status) {
        List<PreCommitStream> parked;
        synchronized (lock) {
            if (closed == null) {
                closed = status;
            }
            parked = new ArrayList<>(pending);
            pending.clear();
        }
        for (PreCommitStream call : parked) {
            call.cancel(status);
        }
        if (!parked.isEmpty()) {
            pendingChanged.run();
        }
    }
}
