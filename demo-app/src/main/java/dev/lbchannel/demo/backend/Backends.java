package dev.lbchannel.demo.backend;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's backends, ids 1, 2, 3..., one per configured port. {@link #start} brings them all
 * up before anything else in the application needs their ports; {@link #close} stops them.
 * The list is fixed; each backend is thread-safe.
 */
public final class Backends implements AutoCloseable {

    private final List<GreeterBackend> all;

    private Backends(List<GreeterBackend> all) {
        this.all = List.copyOf(all);
    }

    /**
     * Starts one backend per port, ids from 1; a port of 0 lets the OS pick.
     *
     * @throws BackendStartException when one cannot bind; those already started are stopped
     * @throws InvalidConfigurationPropertyValueException when there is no port or one is out of
     *         range, naming {@code demo.backends.ports}
     */
    public static Backends start(List<Integer> ports) {
        if (ports.isEmpty()) {
            throw new InvalidConfigurationPropertyValueException("demo.backends.ports", ports,
                    "The demo needs at least one backend port; 0 lets the OS pick a free one.");
        }
        List<GreeterBackend> backends = new ArrayList<>(ports.size());
        try {
            for (int i = 0; i < ports.size(); i++) {
                GreeterBackend backend = new GreeterBackend(i + 1, ports.get(i));
                backends.add(backend);
                backend.start();
            }
        } catch (RuntimeException e) {
            backends.forEach(GreeterBackend::stop);
            throw e;
        }
        return new Backends(backends);
    }

    /** Every backend, in id order. */
    public List<GreeterBackend> all() {
        return all;
    }

    /** The backend with this id, if there is one. */
    public Optional<GreeterBackend> find(int id) {
        return id >= 1 && id <= all.size() ? Optional.of(all.get(id - 1)) : Optional.empty();
    }

    /** Stops every backend. */
    @Override
    public void close() {
        all.forEach(GreeterBackend::stop);
    }

    @Override
    public String toString() {
        return all.stream().map(GreeterBackend::toString).collect(Collectors.joining(", "));
    }
}
