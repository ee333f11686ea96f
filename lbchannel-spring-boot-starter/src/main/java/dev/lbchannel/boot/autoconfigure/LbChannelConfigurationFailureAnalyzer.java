package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up that failed on a channel property: which property (in dot form, with the
 * file and line it came from where Spring knows them), the value, why it cannot work, and what
 * to change. Ordered ahead of Boot's general analyzer for invalid property values, which would
 * otherwise take these exceptions and leave out the action. Registered in
 * {@code META-INF/spring.factories}.
 */
final class LbChannelConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<LbChannelConfigurationException>
        implements Ordered {

    private final @Nullable Environment environment;

    LbChannelConfigurationFailureAnalyzer(@Nullable Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LbChannelConfigurationException cause) {
        StringBuilder description = new StringBuilder("The lbchannel property '").append(cause.getName()).append("'");
        Object value = cause.getValue();
        description.append(value != null ? " has the value '" + value + "'" : " is not set");
        Origin origin = origin(cause.getName());
        if (origin != null) {
            description.append(" (from ").append(origin).append(")");
        }
        description.append(", which cannot work:\n\n    ").append(cause.getReason());
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    private @Nullable Origin origin(String property) {
        if (environment == null) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            try {
                name = ConfigurationPropertyName.adapt(property, '.');
            } catch (RuntimeException e) {
                return null; // the origin is a courtesy; the analysis stands without it
            }
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found.getOrigin();
            }
        }
        return null;
    }
}
