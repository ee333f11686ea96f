package dev.lbchannel.balancer.peakewma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One endpoint's Peak-EWMA latency, as Finagle defines it: a sample above the average replaces it
 * at once (the peak, so a backend that slows down is avoided at once), one below moves it there
 * with weight {@code 1 - exp(-elapsed / decayTime)}, where {@code elapsed} is the time since the
 * last sample; and an average read later than its last sample has decayed toward zero by
 * {@code exp(-elapsed / decayTime)}, so a backend passed over for its past slowness is tried
 * again in time.
 *
 * <p>Lock-free, for samples from many event loops at once: each sample first claims the interval
 * since the previous one by swapping the stamp ({@code getAndSet}), so concurrent samples decay
 * over disjoint intervals that add up to the real time, then folds itself into the average by a
 * compare-and-set loop on the average's bits. Two samples racing may fold in either order, which
 * moves the average by no more than the difference between their weights. Allocates nothing.
 */
final class PeakEwma {

    /** The bits of a {@code double} that mean "no sample yet" (a NaN no arithmetic makes). */
    private static final long NONE = 0x7ff8_dead_0000_0001L;

    private static final VarHandle BITS;
    private static final VarHandle STAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BITS = lookup.findVarHandle(PeakEwma.class, "bits", long.class);
            STAMP = lookup.findVarHandle(PeakEwma.class, "stamp", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The average in nanoseconds, as {@code double} bits; {@link #NONE} before the first sample. */
    @SuppressWarnings("unused") // through BITS
    private volatile long bits = NONE;
    /** When the average last took a sample, on the policy's clock. */
    @SuppressWarnings("unused") // through STAMP
    private volatile long stamp;

    /** Whether a sample has come. */
    boolean hasSample() {
        return bits != NONE;
    }

    /** The average as of its last sample, in nanoseconds; 0 before the first. */
    double lastNanos() {
        long b = bits;
        return b == NONE ? 0 : Double.longBitsToDouble(b);
    }

    /** The average as of {@code now}: the last one decayed toward zero since it was taken; 0 before the first sample. */
    double nanosAt(long now, double decayNanos) {
        return nanosAt(now, decayNanos, 0);
    }

    /**
     * As {@link #nanosAt(long, double)}, but {@code withoutSample} before the first sample: one
     * read of the average serves both the check and the value, on the pick path.
     */
    double nanosAt(long now, double decayNanos, double withoutSample) {
        long b = bits;
        if (b == NONE) {
            return withoutSample;
        }
        double average = Double.longBitsToDouble(b);
        long elapsed = now - stamp;
        return elapsed <= 0 ? average : average * decay(elapsed, decayNanos);
    }

    /**
     * {@code exp(-elapsed / decayNanos)}; below a sixteenth of the decay time, where a busy
     * endpoint's samples and picks fall, its first-order form {@code 1 - x}, within 0.2 % of it
     * and a fraction of the cost of {@link Math#exp} on the pick path.
     */
    static double decay(long elapsed, double decayNanos) {
        double x = elapsed / decayNanos;
        return x < 0x1p-4 ? 1 - x : Math.exp(-x);
    }

    /** Takes a sample of {@code sampleNanos} observed at {@code now}. */
    void observe(double sampleNanos, long now, double decayNanos) {
        long previousStamp = (long) STAMP.getAndSet(this, now);
        long elapsed = Math.max(0, now - previousStamp);
        double weight = decay(elapsed, decayNanos);
        while (true) {
            long b = bits;
            double next;
            if (b == NONE) {
                next = sampleNanos;
            } else {
                double average = Double.longBitsToDouble(b);
                next = sampleNanos > average ? sampleNanos : average * weight + sampleNanos * (1 - weight);
            }
            if (BITS.compareAndSet(this, b, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }
}
