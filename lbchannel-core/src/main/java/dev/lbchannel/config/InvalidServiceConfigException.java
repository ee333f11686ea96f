package dev.lbchannel.config;

import org.jspecify.annotations.Nullable;

/**
 * A service config that breaks a rule of gRPC's schema. The message always reads
 * {@code "Invalid service config: <path> <rule>[, was <value>]"}, where the path is in JSON
 * terms ({@code methodConfig[0].name[1].method}), so a caller such as a Spring failure analysis
 * can quote it or map {@link #path()} onto its own property names. The message quotes nothing
 * but the offending value.
 */
public final class InvalidServiceConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private static final String PREFIX = "Invalid service config: ";

    private final String path;

    InvalidServiceConfigException(String path, String detail) {
        super(PREFIX + path + " " + detail);
        this.path = path;
    }

    /** For a balancer's own config error: the path, a colon, and the balancer's message. */
    InvalidServiceConfigException(String path, IllegalArgumentException cause) {
        super(PREFIX + path + ": " + cause.getMessage(), cause);
        this.path = path;
    }

    private InvalidServiceConfigException(String path, String message, InvalidServiceConfigException cause) {
        super(message, cause);
        this.path = path;
    }

    /**
     * For a policy's own config block, which it parses in {@code BalancerProvider.parseConfig}:
     * {@code field}, a path within the block ({@code failurePercentageEjection.threshold}),
     * breaks {@code rule} (which should end with {@code ", was <value>"}). The channel puts the
     * block's path in front, so the error names the field from the service config's root, and a
     * Spring failure analysis the very property.
     */
    public static InvalidServiceConfigException ofField(String field, String rule) {
        return new InvalidServiceConfigException(field, rule);
    }

    /**
     * As {@link #ofField}, with {@code ", was <value>"} written for the rule: a string in quotes,
     * a whole JSON number without its {@code .0}, anything else as it prints.
     */
    public static InvalidServiceConfigException ofField(String field, String rule, @Nullable Object value) {
        String shown = value instanceof String s ? "\"" + s + "\""
                : value instanceof Double d && d == Math.rint(d) && !d.isInfinite() ? Long.toString(d.longValue())
                : String.valueOf(value);
        return new InvalidServiceConfigException(field, rule + ", was " + shown);
    }

    /** This error found inside the config block at {@code parentPath}: the same rule, the full path. */
    InvalidServiceConfigException under(String parentPath) {
        String full = parentPath + "." + path;
        String detail = getMessage().substring(PREFIX.length() + path.length());
        return new InvalidServiceConfigException(full, PREFIX + full + detail, this);
    }

    /** Where in the config the problem is, e.g. {@code methodConfig[1].retryPolicy.maxAttempts}. */
    public String path() {
        return path;
    }
}
