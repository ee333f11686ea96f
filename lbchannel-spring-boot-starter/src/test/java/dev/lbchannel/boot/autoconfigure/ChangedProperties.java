package dev.lbchannel.boot.autoconfigure;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A property source in front of all others that a test changes at runtime, as a config server
 * would, then announces as Spring Cloud does, with an {@link EnvironmentChangeEvent} naming the
 * keys changed since the last announcement.
 */
final class ChangedProperties {

    private final ConfigurableApplicationContext context;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

    private ChangedProperties(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static ChangedProperties of(ConfigurableApplicationContext context) {
        ChangedProperties properties = new ChangedProperties(context);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changed-at-runtime",
                properties.values));
        return properties;
    }

    ChangedProperties set(String key, Object value) {
        values.put(key, value);
        changed.add(key);
        return this;
    }

    /** Publishes the change on this thread; the channels are refreshed when it returns. */
    void publish() {
        context.publishEvent(new EnvironmentChangeEvent(context, Set.copyOf(changed)));
        changed.clear();
    }
}
