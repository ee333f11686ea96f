package dev.lbchannel.benchmarks.scenario;

import java.io.IOException;
import java.util.List;

/**
 * The balancing situations the harness puts every policy through. Each has a starting state of
 * the backends, set before the run's unmeasured lead-in, and optionally one event a third of the
 * way into the measured time: a backend turns slow, or a fifth, cold one joins through a resolver
 * update. Stateless.
 */
enum Scenario {

    SLOW("slow", "Slow backend", "4 backends; backend 3 answers in 10 ms, the others in 2 ms, throughout.", 4) {
        @Override
        void prepare(BackendsProcess backends, Timing timing) throws IOException {
            backends.command("delay 3 " + SLOW_MICROS);
        }
    },
    DEGRADING("degrading", "Degrading backend",
            "4 backends at 2 ms; a third of the way in, backend 3 turns slow (10 ms) and stays so.", 4) {
        @Override
        boolean hasEvent() {
            return true;
        }

        @Override
        void event(BackendsProcess backends, ScenarioChannel channel) throws IOException {
            backends.command("delay 3 " + SLOW_MICROS);
        }
    },
    COLD("cold", "Cold backend",
            "4 backends at 2 ms; a third of the way in, a resolver update adds backend 4, which is cold: "
                    + "10× slower (20 ms) on its first call, warming up linearly to 2 ms over the warm-up window.", 4) {
        @Override
        void prepare(BackendsProcess backends, Timing timing) throws IOException {
            backends.command("cold 4 " + timing.warmupWindowMillis() + " " + COLD_FACTOR);
        }

        @Override
        boolean hasEvent() {
            return true;
        }

        @Override
        void event(BackendsProcess backends, ScenarioChannel channel) throws IOException {
            channel.updateBackends(backends.ports().subList(0, 5));
        }
    },
    FAILING("failing", "Failing backend",
            "4 backends at 2 ms; a third of the way in, backend 3 starts failing every call with UNAVAILABLE "
                    + "(after its 2 ms) and keeps failing. No run has a retry policy, so only a policy that sees the "
                    + "failures can avoid them: outlier_detection (it ejects the backend) and weighted_round_robin "
                    + "(the backend's ORCA eps weighs it down through errorUtilizationPenalty); round_robin and "
                    + "least_request have no signal for a backend that answers on time with an error.", 4) {
        @Override
        boolean hasEvent() {
            return true;
        }

        // Mid-run rather than from the start, so the calls failed before an ejection count.
        @Override
        void event(BackendsProcess backends, ScenarioChannel channel) throws IOException {
            backends.command("fail 3 1.0");
        }
    };

    static final long FAST_MICROS = 2_000;
    static final long SLOW_MICROS = 10_000;
    static final double COLD_FACTOR = 10;
    /** The backends the server JVM runs: four, and the cold scenario's fifth. */
    static final int MAX_BACKENDS = 5;

    private final String id;
    private final String title;
    private final String description;
    private final int initialBackends;

    Scenario(String id, String title, String description, int initialBackends) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.initialBackends = initialBackends;
    }

    /** Durations a run is built from. */
    record Timing(long leadInMillis, long measureMillis) {
        long eventMillis() {
            return measureMillis / 3;
        }

        /** The cold backend's warm-up, and the slow start window that matches it. */
        long warmupWindowMillis() {
            return measureMillis / 3;
        }
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    String description() {
        return description;
    }

    List<Integer> initialPorts(BackendsProcess backends) {
        return backends.ports().subList(0, initialBackends);
    }

    /** Puts the backends in this scenario's starting state; they have just been reset to 2 ms. */
    void prepare(BackendsProcess backends, Timing timing) throws IOException {
    }

    boolean hasEvent() {
        return false;
    }

    /** What happens at {@link Timing#eventMillis()}, if {@link #hasEvent()}. */
    void event(BackendsProcess backends, ScenarioChannel channel) throws IOException {
    }

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown scenario '" + id + "'; known: slow, degrading, cold, failing");
    }
}
