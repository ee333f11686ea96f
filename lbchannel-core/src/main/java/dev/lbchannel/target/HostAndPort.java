package dev.lbchannel.target;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static java.util.Objects.requireNonNull;

/**
 * A {@code host[:port]} endpoint as targets write it: {@code orders:8443}, {@code 10.0.0.7},
 * {@code [::1]:50051}. Immutable.
 *
 * @param host a name, an IPv4 literal, or an IPv6 literal without brackets
 */
public record HostAndPort(String host, int port) {

    public HostAndPort {
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " is out of range 0-65535");
        }
    }

    /**
     * Parses {@code text}, using {@code defaultPort} when it names no port.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static HostAndPort parse(String text, int defaultPort) {
        requireNonNull(text, "text");
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 address needs a closing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') != colon) {
                throw invalid(text, "write an IPv6 address in brackets, like [::1]:443");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(text, "the host is empty");
        }
        return new HostAndPort(host, port == null ? defaultPort : parsePort(text, port));
    }

    private static int parsePort(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(text, "the port '" + port + "' is not a number from 0 to 65535");
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("Invalid address '" + text + "': " + why);
    }

    /** Whether the host is an IPv4 or IPv6 literal, which needs no name lookup. */
    public boolean isIpLiteral() {
        return isIpv4Literal(host) || host.indexOf(':') >= 0;
    }

    /**
     * A socket address: resolved without any lookup for an IP literal, unresolved for a name
     * (the transport looks it up when it connects).
     */
    public InetSocketAddress toSocketAddress() {
        if (!isIpLiteral()) {
            return InetSocketAddress.createUnresolved(host, port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw invalid(host, "not a valid IP address");
        }
    }

    private static boolean isIpv4Literal(String host) {
        int dots = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
