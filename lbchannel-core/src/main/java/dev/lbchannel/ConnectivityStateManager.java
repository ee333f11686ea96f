package dev.lbchannel;

import io.grpc.ConnectivityState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
            run(callback, executor);
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
            run(waiter.callback(), waiter.executor());
        }
    }

    /**
     * Runs a callback on its executor, or here when that executor has been shut down: a terminated
     * channel has given its shared callback pool back, and a late waiter must still hear SHUTDOWN.
     */
    private static void run(Runnable callback, Executor executor) {
        try {
            executor.execute(callback);
        } catch (RejectedExecutionException e) {
            callback.run();
        }
    }
}
