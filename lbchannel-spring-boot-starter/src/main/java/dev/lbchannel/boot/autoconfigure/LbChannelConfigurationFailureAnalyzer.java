package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
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

    private final YamlOrigins origins;

    LbChannelConfigurationFailureAnalyzer(@Nullable Environment environment) {
        this.origins = new YamlOrigins(environment);
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LbChannelConfigurationException cause) {
        StringBuilder description = new StringBuilder("The lbchannel property '").append(cause.getName()).append("'");
        Object value = cause.getValue();
        description.append(value != null ? " has the value '" + YamlText.flow(value) + "'" : " is not set");
        Origin origin = origins.originOf(cause.getName());
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
}
