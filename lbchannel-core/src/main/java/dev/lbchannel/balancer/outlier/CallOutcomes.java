package dev.lbchannel.balancer.outlier;

import java.util.concurrent.atomic.LongAdder;

/**
 * gRFC A50's call counter for one endpoint, after Envoy's: calls that end are counted into the
 * active bucket, lock-free, from any thread; each sweep zeroes the inactive bucket and swaps the
 * two, so the inactive one then holds the last interval's successes and failures. A call that
 * read the active bucket just before a swap lands in the interval that just closed, which is
 * where it belongs. {@link #record} runs on event loops and allocates nothing once its adders
 * have grown their cells; the rest runs on the serializer.
 */
final class CallOutcomes {

    private volatile Bucket active = new Bucket();
    private Bucket inactive = new Bucket();
    /** The closed interval's counts, read once at the swap so one sweep judges one set of numbers. */
    private long successes;
    private long failures;

    /** One attempt ended; any thread. */
    void record(boolean success) {
        Bucket bucket = active;
        (success ? bucket.successes : bucket.failures).increment();
    }

    /** Closes the interval: the calls counted since the last swap become the ones to judge. */
    void swap() {
        Bucket closing = active;
        inactive.reset();
        active = inactive;
        inactive = closing;
        successes = closing.successes.sum();
        failures = closing.failures.sum();
    }

    /** Forgets every count: a fresh start when detection (re)starts. */
    void reset() {
        active.reset();
        inactive.reset();
        successes = 0;
        failures = 0;
    }

    /** Successes in the last closed interval. */
    long successes() {
        return successes;
    }

    /** Failures in the last closed interval. */
    long failures() {
        return failures;
    }

    /** Calls that ended in the last closed interval. */
    long volume() {
        return successes() + failures();
    }

    private static final class Bucket {
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();

        void reset() {
            successes.reset();
            failures.reset();
        }
    }
}
