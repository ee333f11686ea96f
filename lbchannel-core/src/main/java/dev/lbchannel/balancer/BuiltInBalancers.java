package dev.lbchannel.balancer;

import dev.lbchannel.balancer.leastrequest.LeastRequestBalancerProvider;
import dev.lbchannel.balancer.outlier.OutlierDetectionBalancerProvider;
import dev.lbchannel.balancer.peakewma.PeakEwmaBalancerProvider;
import dev.lbchannel.balancer.pickfirst.PickFirstBalancerProvider;
import dev.lbchannel.balancer.ringhash.RingHashBalancerProvider;
import dev.lbchannel.balancer.roundrobin.RoundRobinBalancerProvider;
import dev.lbchannel.balancer.subset.RandomSubsettingBalancerProvider;
import dev.lbchannel.balancer.wrr.WeightedRoundRobinBalancerProvider;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The built-in policies' providers, each made the first time its name is asked for and then
 * shared (they are stateless). Making all eleven up front loaded their classes, and spun their
 * clock and random lambdas, on every application's first channel: 5 to 8 ms of a fresh JVM's
 * start, for the one policy most channels use. Thread-safe.
 */
final class BuiltInBalancers {

    /** The built-in policy names, sorted. */
    static final List<String> NAMES = List.of(
            LeastRequestBalancerProvider.POLICY_NAME,
            LeastRequestBalancerProvider.EXPERIMENTAL_POLICY_NAME,
            OutlierDetectionBalancerProvider.POLICY_NAME,
            PeakEwmaBalancerProvider.POLICY_NAME,
            PickFirstBalancerProvider.POLICY_NAME,
            RandomSubsettingBalancerProvider.POLICY_NAME,
            RandomSubsettingBalancerProvider.EXPERIMENTAL_POLICY_NAME,
            RingHashBalancerProvider.POLICY_NAME,
            RingHashBalancerProvider.EXPERIMENTAL_POLICY_NAME,
            RoundRobinBalancerProvider.POLICY_NAME,
            WeightedRoundRobinBalancerProvider.POLICY_NAME);

    private static final AtomicReferenceArray<BalancerProvider> MADE = new AtomicReferenceArray<>(NAMES.size());

    private BuiltInBalancers() {
    }

    /** The built-in provider of {@code policyName}, or {@code null} when none is built in. */
    static @Nullable BalancerProvider get(String policyName) {
        int index = NAMES.indexOf(policyName);
        if (index < 0) {
            return null;
        }
        BalancerProvider made = MADE.get(index);
        if (made == null) {
            MADE.compareAndSet(index, null, create(policyName));
            made = MADE.get(index);
        }
        return made;
    }

    private static BalancerProvider create(String policyName) {
        return switch (policyName) {
            case PickFirstBalancerProvider.POLICY_NAME -> new PickFirstBalancerProvider();
            case RoundRobinBalancerProvider.POLICY_NAME -> new RoundRobinBalancerProvider();
            case OutlierDetectionBalancerProvider.POLICY_NAME -> new OutlierDetectionBalancerProvider();
            case LeastRequestBalancerProvider.POLICY_NAME -> new LeastRequestBalancerProvider();
            case LeastRequestBalancerProvider.EXPERIMENTAL_POLICY_NAME ->
                    new LeastRequestBalancerProvider(LeastRequestBalancerProvider.EXPERIMENTAL_POLICY_NAME);
            case WeightedRoundRobinBalancerProvider.POLICY_NAME -> new WeightedRoundRobinBalancerProvider();
            case RingHashBalancerProvider.POLICY_NAME -> new RingHashBalancerProvider();
            case RingHashBalancerProvider.EXPERIMENTAL_POLICY_NAME -> new RingHashBalancerProvider(
                    RingHashBalancerProvider.EXPERIMENTAL_POLICY_NAME, RingHashBalancerProvider.DEFAULT_RING_SIZE_CAP);
            case RandomSubsettingBalancerProvider.POLICY_NAME -> new RandomSubsettingBalancerProvider();
            case RandomSubsettingBalancerProvider.EXPERIMENTAL_POLICY_NAME ->
                    new RandomSubsettingBalancerProvider(RandomSubsettingBalancerProvider.EXPERIMENTAL_POLICY_NAME);
            case PeakEwmaBalancerProvider.POLICY_NAME -> new PeakEwmaBalancerProvider();
            default -> throw new IllegalArgumentException("No built-in policy '" + policyName + "'");
        };
    }
}
