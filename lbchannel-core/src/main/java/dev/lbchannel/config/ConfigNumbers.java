package dev.lbchannel.config;

/**
 * The numbers of a policy's config block as a service config carries them: a JSON number (a
 * {@code double} once parsed), or its decimal text, as Spring's YAML binding may pass it. Errors
 * name the field, the rule and the value, for the channel to complete the path. Stateless.
 */
public final class ConfigNumbers {

    private ConfigNumbers() {
    }

    /**
     * {@code value} as a number.
     *
     * @throws InvalidServiceConfigException {@code "<field> must be a number, was <value>"}
     */
    public static double number(String field, Object value) {
        return parse(field, value, "must be a number");
    }

    /**
     * {@code value} as a proto3 {@code uint32}: a whole number from 0 to 4294967295.
     *
     * @throws InvalidServiceConfigException naming {@code field}, the rule and the value
     */
    public static long uint32(String field, Object value) {
        double number = parse(field, value, "must be a whole number");
        if (number != Math.rint(number) || number < 0 || number > 0xFFFF_FFFFL) {
            throw InvalidServiceConfigException.ofField(field,
                    "must be a whole number from 0 to 4294967295 (a uint32)", value);
        }
        return (long) number;
    }

    private static double parse(String field, Object value, String rule) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw InvalidServiceConfigException.ofField(field, rule, value);
            }
        }
        throw InvalidServiceConfigException.ofField(field, rule, value);
    }
}
