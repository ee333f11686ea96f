package dev.lbchannel.etcd;

import dev.lbchannel.target.HostAndPort;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The etcd members a resolver talks to, parsed from the forms etcdctl's {@code --endpoints}
 * takes: {@code host:port}, {@code http://host:port} or {@code https://host:port} (port 2379 when
 * none is given). {@code https} asks for TLS; a bare {@code host:port} leaves it to the provider's
 * TLS setting. Immutable.
 *
 * @param tls {@code true} for https, {@code false} for http, {@code null} when no URL scheme said
 */
record EtcdServers(List<HostAndPort> addresses, @Nullable Boolean tls) {

    /** etcd's client port. */
    static final int DEFAULT_PORT = 2379;

    EtcdServers {
        addresses = List.copyOf(addresses);
    }

    /**
     * @throws IllegalArgumentException naming the endpoint and what is wrong, or when http and
     *     https are mixed, or when the list is empty
     */
    static EtcdServers parse(List<String> endpoints) {
        List<HostAndPort> addresses = new ArrayList<>();
        Boolean tls = null;
        for (String endpoint : endpoints) {
            String text = endpoint.trim();
            Boolean secure = null;
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://")) {
                secure = false;
                text = text.substring("http://".length());
            } else if (lower.startsWith("https://")) {
                secure = true;
                text = text.substring("https://".length());
            } else if (lower.contains("://")) {
                throw new IllegalArgumentException("etcd endpoint '" + endpoint + "': use http://, https:// or host:port");
            }
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            if (secure != null) {
                if (tls != null && !tls.equals(secure)) {
                    throw new IllegalArgumentException("etcd endpoints mix http:// and https://; use one for all");
                }
                tls = secure;
            }
            try {
                addresses.add(HostAndPort.parse(text, DEFAULT_PORT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("etcd endpoint '" + endpoint + "': " + e.getMessage(), e);
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        return new EtcdServers(addresses, tls);
    }

    /** The {@code static} target that reaches these members. */
    String channelTarget() {
        return "static:///" + String.join(",", addresses.stream().map(HostAndPort::toString).toList());
    }

    /** The members as {@code host:port}, for channelz and messages. */
    List<String> names() {
        return addresses.stream().map(HostAndPort::toString).toList();
    }
}
