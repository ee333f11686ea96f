package dev.lbchannel.target;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A parsed target: {@code scheme:[//authority/]endpoint}, as gRPC's naming doc defines it.
 * {@code dns:///orders:8443} has scheme {@code dns}, an empty authority and endpoint
 * {@code orders:8443}; {@code unix:/tmp/s.sock} has no authority and endpoint {@code /tmp/s.sock}.
 * Immutable.
 */
public final class Target {

    private final String text;
    private final String scheme;
    private final @Nullable String authority;
    private final String endpoint;

    private Target(String text, String scheme, @Nullable String authority, String endpoint) {
        this.text = text;
        this.scheme = scheme;
        this.authority = authority;
        this.endpoint = endpoint;
    }

    /**
     * Parses {@code text} if it starts with a URI scheme.
     *
     * @return the target, or {@code null} when {@code text} has no scheme (such as
     *     {@code 127.0.0.1:50051} or {@code [::1]:443}); {@code orders:8443} parses with scheme
     *     {@code orders}, and only the registry knows that no such scheme exists
     * @throws IllegalArgumentException when the text is blank or has a scheme and a malformed rest
     */
    public static @Nullable Target parse(String text) {
        requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("Invalid target '" + text + "': the target is empty");
        }
        int colon = schemeEnd(text);
        if (colon < 0) {
            return null;
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = text.substring(colon + 1);
        if (!rest.startsWith("//")) {
            return new Target(text, scheme, null, rest);
        }
        int slash = rest.indexOf('/', 2);
        if (slash < 0) {
            throw new IllegalArgumentException("Invalid target '" + text
                    + "': expected scheme://authority/endpoint, for example dns:///host:443");
        }
        return new Target(text, scheme, rest.substring(2, slash), rest.substring(slash + 1));
    }

    /** Builds the target for a scheme and endpoint, as the channel does for a scheme-less text. */
    public static Target of(String scheme, String endpoint) {
        return new Target(scheme + ":///" + endpoint, scheme, "", endpoint);
    }

    /** Index of the colon that ends a URI scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or -1. */
    private static int schemeEnd(String text) {
        if (!isAlpha(text.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The scheme, lower case. */
    public String scheme() {
        return scheme;
    }

    /**
     * The authority between {@code //} and the next {@code /}: empty for {@code dns:///host},
     * {@code null} when the target has no {@code //} part at all.
     */
    public @Nullable String authority() {
        return authority;
    }

    /** What the resolver resolves: the path without its leading slash, or the opaque part. */
    public String endpoint() {
        return endpoint;
    }

    /** Whether the text after the scheme starts with a slash, the mark of a URI-shaped target. */
    public boolean isHierarchical() {
        return authority != null || endpoint.startsWith("/");
    }

    /** The target as written (or as rewritten for the default scheme). */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
