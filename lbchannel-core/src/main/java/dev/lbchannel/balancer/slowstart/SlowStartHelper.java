package dev.lbchannel.balancer.slowstart;

import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.ForwardingBalancerHelper;
import dev.lbchannel.balancer.ForwardingSubchannel;
import dev.lbchannel.balancer.Subchannel;
import dev.lbchannel.balancer.SubchannelOptions;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.serializer.Serializer;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slow start for one balancer: the helper its subchannels are made through (innermost, so the
 * states it sees are the policy's), which wraps each in a {@link SlowStartSubchannel}, gives the
 * policy each READY endpoint's factor when it builds a picker, and shows in channelz, as
 * {@code slowStartFactor}, the factor the last picker used (percent, 100 when not ramping). An endpoint ramps when it becomes
 * READY once the policy has had a READY endpoint, if it came with a later resolution than the
 * first (a scale-up) or had been READY before (a restart); the policy's first endpoints warming up
 * together do not. While any endpoint ramps, the policy's picker is rebuilt every twentieth of the
 * window (10 ms to 1 s), on a timer that hops into the serializer, and once more as the last ramp
 * ends. Without a {@code slowStartConfig} every factor is 1. Runs on the serializer.
 */
public final class SlowStartHelper extends ForwardingBalancerHelper {

    /** The name channelz shows an endpoint's factor under, in percent. */
    public static final String GAUGE = "slowStartFactor";

    /** The smallest factor a picker gets. */
    public static final double MIN_FACTOR = 0.001;

    private final BalancerHelper parent;
    private final LongSupplier clock;
    private final @Nullable Runnable rebuild;
    private final Set<SlowStartSubchannel> live = new LinkedHashSet<>();
    private volatile @Nullable SlowStartConfig config;
    private boolean resolvedOnce;
    private boolean warm;
    private Serializer.@Nullable ScheduledHandle tick;

    /**
     * @param clock   the policy's clock, in nanoseconds
     * @param rebuild rebuilds the policy's picker while endpoints ramp; {@code null} for a policy
     *     that rebuilds often enough on its own (weighted_round_robin, every weightUpdatePeriod)
     */
    public SlowStartHelper(BalancerHelper parent, LongSupplier clock, @Nullable Runnable rebuild) {
        this.parent = parent;
        this.clock = clock;
        this.rebuild = rebuild;
    }

    @Override
    protected BalancerHelper delegate() {
        return parent;
    }

    /** Takes the policy's current {@code slowStartConfig}; {@code null} turns slow start off. */
    public void configure(@Nullable SlowStartConfig next) {
        config = next;
    }

    /** The policy handed the first resolution to its subchannels: endpoints made from now on are scale-ups. */
    public void resolved() {
        resolvedOnce = true;
    }

    @Override
    public Subchannel createSubchannel(Endpoint endpoint) {
        return wrap(parent.createSubchannel(endpoint));
    }

    /** Forwarded with its options, so health checking (gRFC A17) stays on. */
    @Override
    public Subchannel createSubchannel(Endpoint endpoint, SubchannelOptions options) {
        return wrap(parent.createSubchannel(endpoint, options));
    }

    private Subchannel wrap(Subchannel created) {
        SlowStartSubchannel wrapped = new SlowStartSubchannel(created, this, !resolvedOnce);
        live.add(wrapped);
        parent.subchannelGauge(wrapped, GAUGE, () -> Math.round(100 * wrapped.inUse()));
        return wrapped;
    }

    /**
     * Each of {@code ready}'s weight factors now, in order, or {@code null} when none ramps (all 1),
     * so the policy can build its plain picker. A factor is at least {@link #MIN_FACTOR}, so that
     * {@code minWeightPercent: 0} still means "a little", never "no weight".
     */
    public float @Nullable [] factors(List<Subchannel> ready) {
        long now = clock.getAsLong();
        float[] factors = null;
        for (int i = 0; i < ready.size(); i++) {
            SlowStartSubchannel own = own(ready.get(i));
            double f = Math.max(MIN_FACTOR, factor(own, now));
            if (own != null) {
                own.inUse(f);
            }
            if (f < 1 && factors == null) {
                factors = new float[ready.size()];
                Arrays.fill(factors, 0, i, 1f);
            }
            if (factors != null) {
                factors[i] = (float) f;
            }
        }
        return factors;
    }

    /** The factor of {@code own} at {@code now}; 1 for {@code null} (a subchannel not made here). */
    private double factor(@Nullable SlowStartSubchannel own, long now) {
        SlowStartConfig current = config;
        if (current == null || own == null) {
            return 1;
        }
        long start = own.rampStart();
        return start == SlowStartSubchannel.NOT_RAMPING ? 1 : current.factor(now - start);
    }

    private @Nullable SlowStartSubchannel own(Subchannel subchannel) {
        Subchannel current = subchannel;
        while (current instanceof ForwardingSubchannel wrapper) {
            if (current instanceof SlowStartSubchannel s && s.owner() == this) {
                return s;
            }
            current = wrapper.delegate();
        }
        return null;
    }

    boolean isWarm() {
        return warm;
    }

    void warmedUp() {
        warm = true;
    }

    /** An endpoint starts its ramp now: returns now, and keeps the picker following the ramp. */
    long startRamp() {
        SlowStartConfig current = config;
        if (current != null && rebuild != null && tick == null) {
            scheduleTick(current);
        }
        return clock.getAsLong();
    }

    private void scheduleTick(SlowStartConfig current) {
        long period = Math.min(TimeUnit.SECONDS.toNanos(1),
                Math.max(TimeUnit.MILLISECONDS.toNanos(10), current.slowStartWindow().toNanos() / 20));
        tick = serializer().schedule(this::onTick, period, TimeUnit.NANOSECONDS, scheduler());
    }

    private void onTick() {
        tick = null;
        SlowStartConfig current = config;
        if (current == null || rebuild == null) {
            return;
        }
        rebuild.run();
        long now = clock.getAsLong();
        for (SlowStartSubchannel s : live) {
            if (factor(s, now) < 1) {
                scheduleTick(current);
                return;
            }
        }
    }

    void forget(SlowStartSubchannel subchannel) {
        live.remove(subchannel);
    }

    /** Stops the ramp's timer; the policy calls this as it shuts down. */
    public void shutdown() {
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        live.clear();
    }
}
