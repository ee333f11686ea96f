package dev.lbchannel.balancer.outlier;

import dev.lbchannel.balancer.Balancer;
import dev.lbchannel.balancer.BalancerHelper;
import dev.lbchannel.balancer.BalancerProvider;
import dev.lbchannel.balancer.BalancerRegistry;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@code outlier_detection} policy (gRFC A50), a parent of the policy in its
 * {@code childPolicy}:
 * <pre>{@code {"outlier_detection": {"interval": "10s", "baseEjectionTime": "30s",
 *   "maxEjectionTime": "300s", "maxEjectionPercent": 10,
 *   "failurePercentageEjection": {"threshold": 85, "minimumHosts": 5, "requestVolume": 50},
 *   "childPolicy": [{"round_robin": {}}]}}}</pre>
 * Stateless and thread-safe.
 */
public final class OutlierDetectionBalancerProvider implements BalancerProvider {

    public static final String POLICY_NAME = "outlier_detection";

    private final LongSupplier nanoClock;
    private final IntSupplier percentRoll;

    public OutlierDetectionBalancerProvider() {
        this(System::nanoTime, () -> ThreadLocalRandom.current().nextInt(100));
    }

    /** With a clock and the enforcement-percentage dice of one's own, for tests. */
    OutlierDetectionBalancerProvider(LongSupplier nanoClock, IntSupplier percentRoll) {
        this.nanoClock = requireNonNull(nanoClock, "nanoClock");
        this.percentRoll = requireNonNull(percentRoll, "percentRoll");
    }

    @Override
    public String policyName() {
        return POLICY_NAME;
    }

    @Override
    public Balancer newBalancer(BalancerHelper helper) {
        return new OutlierDetectionBalancer(helper, nanoClock, percentRoll);
    }

    /** Parses against the built-in policies; the channel calls the form with its own registry. */
    @Override
    public Object parseConfig(Map<String, ?> rawConfig) {
        return parseConfig(rawConfig, BalancerRegistry.builtIns());
    }

    @Override
    public Object parseConfig(Map<String, ?> rawConfig, BalancerRegistry balancers) {
        return OutlierDetectionConfigParser.parse(rawConfig, balancers);
    }
}
