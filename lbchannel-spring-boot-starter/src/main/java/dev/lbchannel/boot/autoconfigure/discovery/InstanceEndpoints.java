package dev.lbchannel.boot.autoconfigure.discovery;

import dev.lbchannel.config.Json;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointAttributes;
import dev.lbchannel.resolver.ResolutionResult;
import io.grpc.Attributes;
import io.grpc.Status;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a service's instances into a resolution: one endpoint per instance at its host and gRPC
 * port, with its metadata and zone as {@link EndpointAttributes}, and the service config that an
 * instance publishes in its metadata.
 *
 * <p>The gRPC port is the metadata's {@value #GRPC_PORT} (Spring Cloud's dotted style), else
 * {@value #GRPC_PORT_GRPC_SPRING} (what grpc-spring-boot-starter servers register), else the
 * instance's own port; an instance whose metadata port is not a number is left out rather than
 * called on a wrong port. The service config is the JSON in {@value #SERVICE_CONFIG} of the first
 * instance (in endpoint order) that has one; the channel validates it and keeps its last good
 * config when it is invalid (gRFC A21). Endpoints are ordered by address, so the same instances
 * in another order are an equal result. A host name is looked up here (blocking): call this off
 * the serializer. Stateless.
 */
final class InstanceEndpoints {

    static final String GRPC_PORT = "grpc.port";
    static final String GRPC_PORT_GRPC_SPRING = "gRPC_port";
    static final String SERVICE_CONFIG = "grpc.service-config";
    /** The metadata key Spring Cloud LoadBalancer's zone preference reads. */
    static final String ZONE = "zone";

    private static final Comparator<Map.Entry<InetSocketAddress, ServiceInstance>> BY_ADDRESS =
            Comparator.comparing((Map.Entry<InetSocketAddress, ServiceInstance> e) -> e.getKey().getHostString())
                    .thenComparingInt(e -> e.getKey().getPort());

    private InstanceEndpoints() {
    }

    static ResolutionResult resolve(String serviceId, List<ServiceInstance> instances) {
        Map<InetSocketAddress, ServiceInstance> byAddress = new LinkedHashMap<>();
        for (ServiceInstance instance : instances) {
            InetSocketAddress address = address(instance);
            if (address != null) {
                byAddress.putIfAbsent(address, instance);
            }
        }
        List<Map.Entry<InetSocketAddress, ServiceInstance>> sorted = new ArrayList<>(byAddress.entrySet());
        sorted.sort(BY_ADDRESS);
        List<Endpoint> endpoints = new ArrayList<>(sorted.size());
        String configJson = null;
        String configInstance = null;
        for (Map.Entry<InetSocketAddress, ServiceInstance> entry : sorted) {
            Map<String, String> metadata = metadata(entry.getValue());
            endpoints.add(new Endpoint(List.of(entry.getKey()), attributes(metadata)));
            String json = metadata.get(SERVICE_CONFIG);
            if (configJson == null && json != null && !json.isBlank()) {
                configJson = json;
                configInstance = describe(entry.getValue(), entry.getKey());
            }
        }
        if (configJson == null) {
            return new ResolutionResult(endpoints, null, null, Attributes.EMPTY);
        }
        try {
            return new ResolutionResult(endpoints, Json.parseObject(configJson), null, Attributes.EMPTY);
        } catch (IllegalArgumentException e) {
            Status error = Status.UNAVAILABLE.withDescription("The " + SERVICE_CONFIG + " metadata of " + configInstance
                    + " (service " + serviceId + ") is not a JSON object: " + e.getMessage());
            return new ResolutionResult(endpoints, null, error, Attributes.EMPTY);
        }
    }

    /** The instance's gRPC port by the rules above, or -1 when its metadata names an unusable one. */
    static int grpcPort(ServiceInstance instance) {
        Map<String, String> metadata = metadata(instance);
        String named = metadata.get(GRPC_PORT);
        if (named == null) {
            named = metadata.get(GRPC_PORT_GRPC_SPRING);
        }
        if (named == null) {
            return instance.getPort();
        }
        try {
            int port = Integer.parseInt(named.strip());
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static @Nullable InetSocketAddress address(ServiceInstance instance) {
        int port = grpcPort(instance);
        String host = instance.getHost();
        if (port < 1 || port > 65535 || host == null || host.isBlank()) {
            return null;
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        InetSocketAddress address = literal != null ? new InetSocketAddress(literal, port)
                : new InetSocketAddress(host, port);   // looks the name up
        return address.isUnresolved() ? null : address;
    }

    private static Attributes attributes(Map<String, String> metadata) {
        Attributes.Builder attributes = Attributes.newBuilder().set(EndpointAttributes.METADATA, metadata);
        String zone = metadata.get(ZONE);
        if (zone != null && !zone.isBlank()) {
            attributes.set(EndpointAttributes.ZONE, zone);
        }
        return attributes.build();
    }

    private static Map<String, String> metadata(ServiceInstance instance) {
        Map<String, String> metadata = instance.getMetadata();
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return Map.copyOf(copy);
    }

    private static String describe(ServiceInstance instance, InetSocketAddress address) {
        return "instance " + Objects.requireNonNullElse(instance.getInstanceId(),
                address.getHostString() + ":" + address.getPort());
    }
}
