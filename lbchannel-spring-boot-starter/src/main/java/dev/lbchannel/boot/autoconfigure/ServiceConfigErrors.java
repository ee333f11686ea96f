package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.balancer.BalancerRegistry;
import dev.lbchannel.boot.autoconfigure.ConvertedServiceConfig.Origin;
import dev.lbchannel.config.InvalidServiceConfigException;
import dev.lbchannel.config.Json;
import dev.lbchannel.config.ServiceConfig;

import java.util.Map;

/**
 * Reads and validates a channel's service config, from YAML or JSON, and turns every problem
 * into a {@link LbChannelConfigurationException} naming the property as the user wrote it
 * ({@code lbchannel.channels.orders.service-config.method-config[0].timeout}), the rule, and the
 * fix. Stateless.
 */
final class ServiceConfigErrors {

    static final String SYNTAX_HINT = "The service config takes the fields of gRPC's service_config.md in camelCase "
            + "or kebab-case; durations such as 500ms, 2s, 2.5s or PT2S; lists as YAML lists.";

    private ServiceConfigErrors() {
    }

    /**
     * The validated service config in gRPC's JSON shape.
     *
     * @throws LbChannelConfigurationException for a value of the wrong type, JSON that does not
     *     parse, or a config that breaks a rule of gRPC's schema
     */
    static Map<String, ?> resolve(ServiceConfigSource source, BalancerRegistry balancers, YamlOrigins written) {
        if (source.yaml() != null) {
            ConvertedServiceConfig converted = ServiceConfigYaml.convert(source.yaml(), source.property(), written);
            try {
                ServiceConfig.parse(converted.json(), balancers);
            } catch (InvalidServiceConfigException e) {
                Origin origin = converted.originOf(e.path());
                throw invalid(origin.property(), origin.value(), e, balancers);
            }
            return converted.json();
        }
        String json = source.json();
        Map<String, ?> parsed;
        try {
            parsed = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new LbChannelConfigurationException(source.property(), json, e.getMessage(),
                    "Correct the JSON in " + source.property() + ", or write the service config as YAML under "
                            + source.property().replace("service-config-json", "service-config") + ".", e);
        }
        try {
            ServiceConfig.parse(parsed, balancers);
        } catch (InvalidServiceConfigException e) {
            throw invalid(source.property(), json, e, balancers);
        }
        return parsed;
    }

    private static LbChannelConfigurationException invalid(String property, Object value,
            InvalidServiceConfigException e, BalancerRegistry balancers) {
        String action;
        if (e.path().startsWith("loadBalancing") && e.getMessage().contains("registered polic")) {
            action = "Name one of the registered policies (" + String.join(", ", balancers.policyNames())
                    + ") in " + property + ", or declare a BalancerProvider bean for the policy you named.";
        } else {
            action = "Correct " + property + " as the reason says. " + SYNTAX_HINT;
        }
        return new LbChannelConfigurationException(property, value, e.getMessage(), action, e);
    }
}
