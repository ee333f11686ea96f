package dev.lbchannel.channelz;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The numbers a load-balancing policy shows about one subchannel, by name, read live whenever a
 * snapshot is taken: {@code least_request}'s outstanding calls, {@code ring_hash}'s ring entries.
 * Written rarely, one write at a time (on the channel's serializer); read from any thread:
 * copy-on-write, so a snapshot takes no lock.
 */
public final class SubchannelGauges {

    private volatile Map<String, LongSupplier> gauges = Map.of();

    /** Shows {@code value} under {@code name} from now on, replacing a gauge of that name. */
    public void put(String name, LongSupplier value) {
        Map<String, LongSupplier> next = new HashMap<>(gauges);
        next.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
        gauges = Map.copyOf(next); // one gauge per subchannel is usual: 32 bytes, not a tree's 88
    }

    /** Every gauge's value now, sorted by name; empty when the policy shows nothing. */
    public Map<String, Long> snapshot() {
        Map<String, LongSupplier> current = gauges;
        if (current.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> values = new TreeMap<>();
        current.forEach((name, value) -> values.put(name, value.getAsLong()));
        return values;
    }
}
