package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.boot.LbChannels;
import dev.lbchannel.boot.autoconfigure.RefreshPlan.Change;
import dev.lbchannel.boot.autoconfigure.RefreshPlan.Step;
import io.grpc.ConnectivityState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Applies changed {@code lbchannel.*} properties to the running channels without a restart. The
 * starter calls it on Spring Cloud's {@code EnvironmentChangeEvent} when Spring Cloud is present;
 * otherwise, or after changing a property source by hand, call {@link #refresh()}.
 *
 * <p>A channel whose effective settings did not change is left alone, connections and all. A new
 * target, default policy or service config is applied in place
 * ({@link LbChannel#updateTarget}, {@link LbChannel#updateDefaultServiceConfig}): a new policy
 * takes over through the graceful switch, a new target through a new resolver. Any other change,
 * or a target that would change the channel's authority, builds a new channel under the same
 * name: it is asked to connect first when the old one was in use, then {@link LbChannels} and
 * stub beans switch to it and the old one drains, in-flight calls finishing within
 * {@code lbchannel.shutdown.grace-period}. Added channels are created and removed ones drained.
 * Customizers run for every channel built, as at start-up. Code that holds an {@link LbChannel}
 * itself keeps the old one. {@code lbchannel.enabled} and {@code lbchannel.executor.*} are read at
 * start-up only.
 *
 * <p>Invalid new properties change nothing: the running channels stay as they are, and the error,
 * naming the property, is logged and thrown. Refreshes run one at a time; thread-safe.
 */
public final class LbChannelsRefresher {

    private static final Log logger = LogFactory.getLog(LbChannelsRefresher.class);

    private final Environment environment;
    private final ChannelFactory factory;
    private final LiveChannels channels;
    private final ApplicationEventPublisher events;

    LbChannelsRefresher(Environment environment, ChannelFactory factory, LiveChannels channels,
            ApplicationEventPublisher events) {
        this.environment = requireNonNull(environment, "environment");
        this.factory = requireNonNull(factory, "factory");
        this.channels = requireNonNull(channels, "channels");
        this.events = requireNonNull(events, "events");
    }

    /**
     * Binds {@code lbchannel.*} from the environment again and applies what changed, then
     * publishes a {@link LbChannelsRefreshedEvent} when anything did. Blocks while new channels
     * connect, at most {@code lbchannel.startup.connect-timeout}.
     *
     * @return what was done to which channel
     * @throws LbChannelConfigurationException when a new value cannot work; nothing changed
     */
    public synchronized Result refresh() {
        try {
            Result result = apply(bind());
            if (result.changedAnything()) {
                logger.info("Refreshed lbchannel channels: " + result);
                events.publishEvent(new LbChannelsRefreshedEvent(this, result));
            }
            return result;
        } catch (LbChannelConfigurationException e) {
            logger.error("lbchannel refresh rejected, the running channels stay as they are: " + e.getMessage()
                    + ". " + e.getAction());
            throw e;
        }
    }

    private LbChannelProperties bind() {
        try {
            return Binder.get(environment).bindOrCreate(PropertyNames.PREFIX, LbChannelProperties.class);
        } catch (BindException e) {
            ConfigurationProperty property = e.getProperty();
            String name = property != null ? property.getName().toString() : e.getName().toString();
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            throw new LbChannelConfigurationException(name, property != null ? property.getValue() : null,
                    "It cannot be bound: " + cause.getMessage(), "Correct " + name + ".", e);
        }
    }

    private Result apply(LbChannelProperties properties) {
        LbChannels running = channels.view();
        List<ChannelDefinition> fresh = merge(properties, running);
        RefreshPlan plan = RefreshPlan.of(channels.definitions(), running.asMap(), fresh, factory);
        Map<String, LbChannel> built = build(plan, running);
        for (Step step : plan.steps()) {
            if (step.change() == Change.UPDATE && step.policy() != null) {
                running.get(step.name()).updateDefaultServiceConfig(step.serviceConfig(), step.policy());
            }
        }
        warmUp(plan, running, built, properties);
        Map<String, LbChannel> next = new LinkedHashMap<>();
        for (ChannelDefinition definition : fresh) {
            LbChannel channel = built.get(definition.name());
            next.put(definition.name(), channel != null ? channel : running.get(definition.name()));
        }
        Map<String, LbChannel> out = channels.install(fresh, next);
        if (out == null) {
            built.values().forEach(LbChannel::shutdownNow);
            throw new IllegalStateException("The application context is closing; its channels are not refreshed");
        }
        ChannelRetirement retirement = new ChannelRetirement(ChannelRetirement.HANDOVER,
                properties.getShutdown().getGracePeriod());
        out.forEach(retirement::retire);
        return new Result(plan.names(Change.ADD), plan.names(Change.UPDATE), plan.names(Change.REPLACE),
                plan.names(Change.REMOVE));
    }

    /**
     * The enabled channels' definitions: those running now in the order they have, then the new
     * ones in the order they were bound, so that a refresh never reorders channels.
     */
    private static List<ChannelDefinition> merge(LbChannelProperties properties, LbChannels running) {
        List<ChannelDefinition> kept = new ArrayList<>();
        List<ChannelDefinition> added = new ArrayList<>();
        properties.getChannels().forEach((name, settings) -> {
            ChannelDefinition definition = ChannelDefinition.merge(name, settings, properties.getDefaults());
            if (definition.enabled()) {
                (running.names().contains(name) ? kept : added).add(definition);
            }
        });
        List<String> order = List.copyOf(running.names());
        kept.sort(Comparator.comparingInt(definition -> order.indexOf(definition.name())));
        kept.addAll(added);
        return kept;
    }

    /**
     * Builds the added and replacing channels and moves in-place channels to their new targets:
     * the steps that can still fail. If one does, the channels built are closed and the targets
     * moved back, and nothing has changed.
     */
    private Map<String, LbChannel> build(RefreshPlan plan, LbChannels running) {
        Map<String, LbChannel> built = new LinkedHashMap<>();
        Map<LbChannel, String> moved = new LinkedHashMap<>();
        try {
            for (Step step : plan.steps()) {
                if (step.change() == Change.ADD || step.change() == Change.REPLACE) {
                    built.put(step.name(), factory.create(requireNonNull(step.definition())));
                } else if (step.change() == Change.UPDATE && step.target() != null) {
                    LbChannel channel = running.get(step.name());
                    String previous = channel.target();
                    updateTarget(channel, requireNonNull(step.definition()));
                    moved.put(channel, previous);
                }
            }
            return built;
        } catch (RuntimeException e) {
            built.values().forEach(LbChannel::shutdownNow);
            moved.forEach(LbChannel::updateTarget); // back to targets that worked a moment ago
            throw e;
        }
    }

    private void updateTarget(LbChannel channel, ChannelDefinition definition) {
        Setting<String> target = definition.target();
        try {
            channel.updateTarget(factory.target(definition));
        } catch (IllegalArgumentException e) {
            throw new LbChannelConfigurationException(target.property(), target.value(), e.getMessage(),
                    "Set " + target.property() + " to a usable target, " + TargetCheck.EXAMPLES + ".", e);
        }
    }

    /**
     * Lets replacements of channels in use, and new channels that connect on start-up, connect
     * before they take over, so that calls do not wait for a connection.
     */
    private static void warmUp(RefreshPlan plan, LbChannels running, Map<String, LbChannel> built,
            LbChannelProperties properties) {
        Map<String, LbChannel> eager = new LinkedHashMap<>();
        for (Step step : plan.steps()) {
            LbChannel channel = built.get(step.name());
            boolean inUse = step.change() == Change.REPLACE
                    && running.get(step.name()).getState(false) != ConnectivityState.IDLE;
            if (channel != null && (inUse || requireNonNull(step.definition()).connectOnStartup())) {
                eager.put(step.name(), channel);
            }
        }
        if (!eager.isEmpty()) {
            List<String> notReady = ReadyWait.await(eager, properties.getStartup().getConnectTimeout());
            if (!notReady.isEmpty()) {
                logger.warn("New channels not READY within lbchannel.startup.connect-timeout ("
                        + properties.getStartup().getConnectTimeout() + "); they take over and keep connecting: "
                        + notReady);
            }
        }
    }

    /**
     * What a refresh did, by channel name, in configuration order.
     *
     * @param added channels created
     * @param updated channels that took a new target, policy or service config in place
     * @param replaced channels replaced by a new one under the same name
     * @param removed channels shut down because they are no longer configured
     */
    public record Result(List<String> added, List<String> updated, List<String> replaced, List<String> removed) {

        public Result {
            added = List.copyOf(added);
            updated = List.copyOf(updated);
            replaced = List.copyOf(replaced);
            removed = List.copyOf(removed);
        }

        /** Whether any channel changed. */
        public boolean changedAnything() {
            return !(added.isEmpty() && updated.isEmpty() && replaced.isEmpty() && removed.isEmpty());
        }

        @Override
        public String toString() {
            return "added " + added + ", updated in place " + updated + ", replaced " + replaced + ", removed " + removed;
        }
    }
}
