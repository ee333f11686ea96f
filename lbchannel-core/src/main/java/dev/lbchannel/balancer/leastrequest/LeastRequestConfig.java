package dev.lbchannel.balancer.leastrequest;

import dev.lbchannel.balancer.slowstart.SlowStartConfig;
import dev.lbchannel.config.ConfigNumbers;
import dev.lbchannel.config.InvalidServiceConfigException;
import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The parsed {@code least_request} block (gRFC A48): {@code {"choiceCount": 2}}, and ours on top,
 * an optional {@code slowStartConfig}. Immutable.
 *
 * @param choiceCount how many READY endpoints a pick samples (with replacement) before taking
 *     the one with the fewest outstanding calls; from 2 to 10
 * @param slowStart   the ramp for endpoints that become READY once the policy is warm, or
 *     {@code null} for none
 */
public record LeastRequestConfig(int choiceCount, @Nullable SlowStartConfig slowStart) {

    /** A48's default: two choices, the "power of two choices". */
    public static final LeastRequestConfig DEFAULT = new LeastRequestConfig(2);

    /** A48's cap: more choices than this are taken as this many. */
    public static final int MAX_CHOICE_COUNT = 10;

    /** Without slow start, as A48 has it. */
    public LeastRequestConfig(int choiceCount) {
        this(choiceCount, null);
    }

    public LeastRequestConfig {
        if (choiceCount < 2 || choiceCount > MAX_CHOICE_COUNT) {
            throw new IllegalArgumentException("choiceCount must be from 2 to " + MAX_CHOICE_COUNT + ", was "
                    + choiceCount);
        }
    }

    /**
     * Reads a {@code least_request} block as A48 says: {@code choiceCount} defaults to 2, a value
     * above 10 is taken as 10, one below 2 is rejected. It is a uint32: a JSON number, or its
     * decimal text (as YAML may bind it). {@code slowStartConfig} is read as
     * {@link SlowStartConfig#parse} says. Unknown fields are ignored, as everywhere in a service
     * config.
     *
     * @throws InvalidServiceConfigException naming the field, the rule and the value
     */
    public static LeastRequestConfig parse(Map<String, ?> raw) {
        return new LeastRequestConfig(choiceCount(raw), SlowStartConfig.parse(raw));
    }

    /** A48's {@code choiceCount}, also for other policies that sample as least_request does. */
    public static int choiceCount(Map<String, ?> raw) {
        Object value = raw.get("choiceCount");
        if (value == null) {
            return DEFAULT.choiceCount();
        }
        long number = ConfigNumbers.uint32("choiceCount", value);
        if (number < 2) {
            throw invalid("must be at least 2", value);
        }
        return (int) Math.min(number, MAX_CHOICE_COUNT);
    }

    private static InvalidServiceConfigException invalid(String rule, @Nullable Object value) {
        return InvalidServiceConfigException.ofField("choiceCount", rule, value);
    }
}
