package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a refresh does to each channel, from the definitions running now and those just bound. A
 * channel whose settings are all equal stays as it is. One that differs only in target, default
 * policy or service config is updated in place, unless the new target would change its
 * authority. One that differs in anything else (TLS, authority, user agent, keepalive, idle
 * timeout, sizes, retry limits, deadline, interceptors) is replaced by a new channel. Names that
 * appear are added, names that go away are removed. Making the plan checks every value it will
 * apply in place, so it throws before anything changes. Immutable.
 */
final class RefreshPlan {

    /** What happens to one channel. */
    enum Change {
        UNCHANGED, UPDATE, REPLACE, ADD, REMOVE
    }

    /**
     * One channel's step. For an {@link Change#UPDATE}, {@code target} is the new target or
     * {@code null} when it stays, and {@code policy} and {@code serviceConfig} are the new defaults,
     * or {@code policy} is {@code null} when they stay.
     */
    record Step(String name, Change change, @Nullable ChannelDefinition definition, @Nullable String target,
            @Nullable String policy, @Nullable Map<String, ?> serviceConfig) {

        static Step of(String name, Change change, @Nullable ChannelDefinition definition) {
            return new Step(name, change, definition, null, null, null);
        }
    }

    private final List<Step> steps;

    private RefreshPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Compares {@code fresh} (the enabled channels, in configuration order) with {@code running}.
     *
     * @throws LbChannelConfigurationException naming the property of a value that an in-place
     *     update cannot take
     */
    static RefreshPlan of(Map<String, ChannelDefinition> running, Map<String, LbChannel> channels,
            List<ChannelDefinition> fresh, ChannelFactory factory) {
        List<Step> steps = new ArrayList<>();
        for (ChannelDefinition next : fresh) {
            ChannelDefinition previous = running.get(next.name());
            LbChannel channel = channels.get(next.name());
            steps.add(previous == null || channel == null ? Step.of(next.name(), Change.ADD, next)
                    : compare(previous, next, channel, factory));
        }
        for (String name : running.keySet()) {
            if (fresh.stream().noneMatch(definition -> definition.name().equals(name))) {
                steps.add(Step.of(name, Change.REMOVE, null));
            }
        }
        return new RefreshPlan(steps);
    }

    private static Step compare(ChannelDefinition previous, ChannelDefinition next, LbChannel channel,
            ChannelFactory factory) {
        String name = next.name();
        if (!previous.fixedSettings().equals(next.fixedSettings())) {
            return Step.of(name, Change.REPLACE, next);
        }
        String target = null;
        if (!Objects.equals(previous.target().value(), next.target().value())) {
            target = factory.target(next);
            if (!factory.authority(next).equals(channel.authority())) {
                return Step.of(name, Change.REPLACE, next); // the connections' authority would change
            }
        }
        String policy = null;
        Map<String, ?> serviceConfig = null;
        if (!Objects.equals(previous.loadBalancingPolicy().value(), next.loadBalancingPolicy().value())
                || !sameServiceConfig(previous.serviceConfig(), next.serviceConfig())) {
            policy = factory.policy(next);
            serviceConfig = factory.serviceConfig(next);
        }
        return target == null && policy == null ? Step.of(name, Change.UNCHANGED, next)
                : new Step(name, Change.UPDATE, next, target, policy, serviceConfig);
    }

    /** Equal as written, wherever it was written (the channel or the defaults). */
    private static boolean sameServiceConfig(@Nullable ServiceConfigSource a, @Nullable ServiceConfigSource b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.yaml(), b.yaml()) && Objects.equals(a.json(), b.json());
    }

    List<Step> steps() {
        return steps;
    }

    /** The names of the channels with {@code change}, in configuration order. */
    List<String> names(Change change) {
        return steps.stream().filter(step -> step.change() == change).map(Step::name).toList();
    }
}
