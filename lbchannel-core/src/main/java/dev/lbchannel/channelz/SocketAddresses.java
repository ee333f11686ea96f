package dev.lbchannel.channelz;

import org.jspecify.annotations.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * How lbchannel writes a socket address, in channelz, traces and error messages alike:
 * {@code host:port} with the numeric host, {@code [::1]:port} for IPv6 in its short form, and any
 * other kind of address (a Unix domain socket) as it describes itself. Never
 * {@code InetSocketAddress}'s own {@code /127.0.0.1:8080}.
 */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /** The address as text, or {@code null} for {@code null}. */
    public static @Nullable String text(@Nullable SocketAddress address) {
        if (address == null) {
            return null;
        }
        if (!(address instanceof InetSocketAddress inet)) {
            return address.toString();
        }
        InetAddress ip = inet.getAddress();
        if (ip == null) {
            String host = inet.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (ip instanceof Inet6Address) {
            // RFC 5952 form; the scope id means nothing off this host, so it is left out.
            return "[" + ipv6(ip.getAddress()) + "]:" + inet.getPort();
        }
        return ip.getHostAddress() + ":" + inet.getPort();
    }

    /** The RFC 5952 text of 16 address bytes: lower-case hex, the longest run of zero groups as {@code ::}. */
    static String ipv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
