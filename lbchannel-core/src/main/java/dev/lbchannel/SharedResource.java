package dev.lbchannel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.jspecify.annotations.Nullable;

import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One JVM-wide object that channels share, counted by its users: the first {@link #acquire()}
 * creates it, and the {@link #release} of the last user destroys it, so that no thread of
 * lbchannel outlives the last channel. A later acquire creates a new one. Thread-safe; creating
 * and destroying run on the calling thread, destroying outside the lock.
 *
 * @param <T> the shared object: an event loop group or an executor
 */
final class SharedResource<T> {

    private final Supplier<T> create;
    private final Consumer<T> destroy;
    private final Object lock = new Object();
    @GuardedBy("lock")
    private @Nullable T instance;
    @GuardedBy("lock")
    private int users;

    SharedResource(Supplier<T> create, Consumer<T> destroy) {
        this.create = requireNonNull(create, "create");
        this.destroy = requireNonNull(destroy, "destroy");
    }

    /** The shared object, created if no one uses it now; the caller must release it once. */
    T acquire() {
        synchronized (lock) {
            T current = instance;
            if (current == null) {
                current = create.get();
                instance = current;
            }
            users++;
            return current;
        }
    }

    /**
     * Gives back what {@link #acquire()} returned. Destroys it when this was the last user; ignores
     * an object that is no longer the shared one, so a stray release cannot end a newer one.
     */
    void release(T released) {
        T toDestroy = null;
        synchronized (lock) {
            if (released != instance) {
                return;
            }
            if (--users == 0) {
                toDestroy = instance;
                instance = null;
            }
        }
        if (toDestroy != null) {
            destroy.accept(toDestroy);
        }
    }

    /** How many channels hold it now; for tests. */
    int users() {
        synchronized (lock) {
            return users;
        }
    }
}
