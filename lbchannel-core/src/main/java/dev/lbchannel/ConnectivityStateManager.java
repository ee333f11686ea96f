package dev.lbchannel;

import io.grpc.ConnectivityState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The channel's aggregate connectivity state and the callbacks waiting for it to change.
 * Written only on the serializer; read from any thread.
 */
final class ConnectivityStateManager {

    private volatile ConnectivityState state = ConnectivityState.IDLE;
    private List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Runnable callback, Executor executor, ConnectivityState source) {
    }

    ConnectivityState state() {
        return state;
    }

    /** Runs {@code callback} once the state differs from {@code source}; at once if it already does. */
    void notifyWhenChanged(Runnable callback, Executor executor, ConnectivityState source) {
        Waiter waiter = new Waiter(callback, executor, source);
        if (state != source) {
            executor.execute(callback);
        } else {
            waiters.add(waiter);
        }
    }

    /** Moves to {@code newState}; SHUTDOWN is final. */
    void update(ConnectivityState newState) {
        if (state == newState || state == ConnectivityState.SHUTDOWN) {
            return;
        }
        state = newState;
        if (waiters.isEmpty()) {
            return;
        }
        List<Waiter> due = waiters;
        waiters = new ArrayList<>();
        for (Waiter waiter : due) {
            waiter.executor().execute(waiter.callback());
        }
    }
}
