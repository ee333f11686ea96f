package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.resolver.ResolverRegistry;
import dev.lbchannel.target.Target;

/**
 * Checks a channel's target against the context's resolvers before the channel is built, telling
 * a missing target, an unknown scheme and an unusable target apart so each failure analysis can
 * say what fixes it. Stateless.
 */
final class TargetCheck {

    static final String EXAMPLES = "such as dns:///orders.internal:8443, static:///10.0.0.7:50051,10.0.0.8:50051"
            + " or orders.internal:8443";

    private TargetCheck() {
    }

    /**
     * The target, if it names a registered scheme or none.
     *
     * @throws LbChannelConfigurationException naming the target property
     */
    static String check(Setting<String> target, ResolverRegistry resolvers) {
        String text = target.value();
        if (text == null || text.isBlank()) {
            throw new LbChannelConfigurationException(target.property(), text, "The channel has no target",
                    "Set " + target.property() + " to the service's address, " + EXAMPLES + ".");
        }
        String schemes = String.join(", ", resolvers.schemes());
        Target parsed = Target.parse(text);
        if (parsed != null && parsed.isHierarchical() && resolvers.get(parsed.scheme()) == null) {
            throw new LbChannelConfigurationException(target.property(), text,
                    "Unknown scheme '" + parsed.scheme() + "'; registered schemes: " + schemes,
                    "Use one of the registered schemes (" + schemes + ") in " + target.property()
                            + ", or declare a ResolverProvider bean whose scheme() is '" + parsed.scheme() + "'.");
        }
        try {
            resolvers.providerFor(resolvers.parseTarget(text));
        } catch (IllegalArgumentException e) {
            throw new LbChannelConfigurationException(target.property(), text, e.getMessage(),
                    "Set " + target.property() + " to a usable target, " + EXAMPLES + ".", e);
        }
        return text;
    }
}
