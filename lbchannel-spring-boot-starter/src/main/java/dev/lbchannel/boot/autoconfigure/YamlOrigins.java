package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Where a property was written (file and line) and what was written there. Spring's binder
 * flattens YAML: an empty list, an empty object and an empty string all bind as {@code ""}, and a
 * block binds as a map of its leaves. The text at the origin tells them apart, and a block's first
 * leaf says where the block is. Without an environment (or for a value that came from no file)
 * it knows nothing, and callers keep what the binder gave them.
 */
final class YamlOrigins {

    static final YamlOrigins NONE = new YamlOrigins(null);

    private final @Nullable Environment environment;

    YamlOrigins(@Nullable Environment environment) {
        this.environment = environment;
    }

    /** Where {@code property} (in dot form) was set, or where the first leaf of a block under it was. */
    @Nullable Origin originOf(String property) {
        ConfigurationPropertyName name = name(property);
        if (environment == null || name == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found.getOrigin();
            }
            if (source instanceof IterableConfigurationPropertySource iterable) {
                for (ConfigurationPropertyName candidate : iterable) {
                    if (name.isAncestorOf(candidate)) {
                        ConfigurationProperty leaf = source.getConfigurationProperty(candidate);
                        return leaf == null ? null : leaf.getOrigin();
                    }
                }
            }
        }
        return null;
    }

    /** What an empty value ({@code ""} once bound) was written as. */
    enum Empty {
        LIST, OBJECT, STRING, UNKNOWN
    }

    /**
     * Whether {@code property}, bound as {@code ""}, was written as {@code []}, {@code {}} or
     * {@code ''}: read at its origin in the file. Boot's YAML loader records a location for an
     * empty list or string but none for an empty map, so a YAML value without one is an empty map.
     */
    Empty emptyAsWritten(String property) {
        Origin origin = originOf(property);
        if (origin == null) {
            return Empty.UNKNOWN;
        }
        while (origin instanceof PropertySourceOrigin wrapped && wrapped.getOrigin() != null) {
            origin = wrapped.getOrigin();
        }
        if (origin instanceof PropertySourceOrigin wrapped) {
            return wrapped.getPropertySource() instanceof OriginTrackedMapPropertySource ? Empty.OBJECT : Empty.UNKNOWN;
        }
        String text = writtenAt(origin);
        if (text == null) {
            return Empty.UNKNOWN;
        }
        return text.startsWith("[") ? Empty.LIST : text.startsWith("{") ? Empty.OBJECT : Empty.STRING;
    }

    /** The text at {@code origin} in its file, from the value's first character to the end of that line. */
    private static @Nullable String writtenAt(Origin origin) {
        if (!(origin instanceof TextResourceOrigin text) || text.getResource() == null || text.getLocation() == null) {
            return null;
        }
        String line = line(text.getResource(), text.getLocation().getLine());
        int column = text.getLocation().getColumn();
        return line == null || column > line.length() ? null : line.substring(column).strip();
    }

    private static @Nullable String line(Resource resource, int index) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(resource.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = null;
            for (int i = 0; i <= index; i++) {
                line = reader.readLine();
                if (line == null) {
                    return null;
                }
            }
            return line;
        } catch (IOException e) {
            return null; // the text is a courtesy: without it the binder's value stands
        }
    }

    private static @Nullable ConfigurationPropertyName name(String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name != null) {
            return name;
        }
        try {
            return ConfigurationPropertyName.adapt(property, '.');
        } catch (RuntimeException e) {
            return null;
        }
    }
}
