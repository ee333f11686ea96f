package dev.lbchannel.kubernetes;

import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAttributes;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import io.grpc.Attributes;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a Service's EndpointSlices into the endpoints to report: every ready endpoint of a
 * slice, one {@link Endpoint} per pod address and port, with its zone and zone hints as
 * {@link EndpointAttributes}, slice by slice ({@link SliceClaims} merges the slices). Stateless.
 *
 * <p>Readiness follows the EndpointSlice API: {@code ready} unset means ready; a terminating
 * endpoint is never ready (its {@code serving} may still be true), so it gets no new calls while
 * the channel's removed subchannel lets its calls in flight finish. Only the first of an
 * endpoint's addresses is used, as the API allows ("all assumed to be fungible"); FQDN slices
 * and non-TCP ports are skipped.
 */
final class SliceEndpoints {

    static final Comparator<EndpointSlice> BY_NAME =
            Comparator.comparing(slice -> Objects.requireNonNullElse(slice.getMetadata().getName(), ""));

    private SliceEndpoints() {
    }

    /** The ready endpoints of one slice, an address once, as listed; none when no port matches. */
    static List<Endpoint> of(EndpointSlice slice, ServiceTarget target) {
        Integer port = port(slice, target);
        if (port == null || !isIp(slice.getAddressType())) {
            return List.of();
        }
        Map<InetSocketAddress, Endpoint> ready = new LinkedHashMap<>();
        for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint : nonNull(slice.getEndpoints())) {
            InetSocketAddress address = address(endpoint, port);
            if (address != null && isReady(endpoint.getConditions())) {
                ready.putIfAbsent(address, new Endpoint(List.of(address), attributes(endpoint)));
            }
        }
        return List.copyOf(ready.values());
    }

    /** The slice's port the target names, or {@code null} when the slice has none that matches. */
    static @Nullable Integer port(EndpointSlice slice, ServiceTarget target) {
        List<EndpointPort> tcp = nonNull(slice.getPorts()).stream()
                .filter(p -> p.getPort() != null && (p.getProtocol() == null || "TCP".equals(p.getProtocol())))
                .toList();
        for (EndpointPort port : tcp) {
            if (target.portName() != null ? target.portName().equals(port.getName())
                    : port.getPort() == target.portNumber()) {
                return port.getPort();
            }
        }
        if (target.portName() == null && target.portNumber() == ServiceTarget.ANY_PORT && tcp.size() == 1) {
            return tcp.get(0).getPort();
        }
        return null;
    }

    static boolean isReady(@Nullable EndpointConditions conditions) {
        return conditions == null || !Boolean.FALSE.equals(conditions.getReady());
    }

    private static @Nullable InetSocketAddress address(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint,
            int port) {
        List<String> addresses = nonNull(endpoint.getAddresses());
        if (addresses.isEmpty()) {
            return null;
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(addresses.get(0));
        return ip == null ? null : new InetSocketAddress(ip, port);
    }

    private static Attributes attributes(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint) {
        Attributes.Builder attributes = Attributes.newBuilder();
        if (endpoint.getZone() != null && !endpoint.getZone().isEmpty()) {
            attributes.set(EndpointAttributes.ZONE, endpoint.getZone());
        }
        EndpointHints hints = endpoint.getHints();
        if (hints != null && hints.getForZones() != null && !hints.getForZones().isEmpty()) {
            attributes.set(EndpointAttributes.FOR_ZONES,
                    hints.getForZones().stream().map(ForZone::getName).filter(Objects::nonNull).toList());
        }
        return attributes.build();
    }

    private static boolean isIp(@Nullable String addressType) {
        return addressType == null || "IPv4".equals(addressType) || "IPv6".equals(addressType);
    }

    private static <T> List<T> nonNull(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }
}
