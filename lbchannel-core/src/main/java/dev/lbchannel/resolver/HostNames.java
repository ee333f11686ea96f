package dev.lbchannel.resolver;

/**
 * The syntax check resolvers apply to a host name before they look it up, so a malformed target
 * fails when the channel is built rather than at the first query. Stateless.
 */
public final class HostNames {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /**
     * Whether {@code host} is a plausible DNS name: labels of letters (any script), digits,
     * {@code -} and {@code _}, not starting or ending with {@code -}, between single dots, with
     * an optional final dot. IP literals are not names; check them first.
     */
    public static boolean isValid(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
