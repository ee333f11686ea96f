package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;
import dev.lbchannel.etcd.api.mvcc.Event;
import dev.lbchannel.etcd.api.mvcc.KeyValue;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointClaims;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The endpoints registered under one prefix, by key, as the last list and the watch events since
 * have left them. A key whose value does not parse is skipped with a warning that names the key
 * and the problem (as etcd's Go resolver skips it), never the value. An address registered under
 * two keys is reported once, under the first key in key order ({@link EndpointClaims}).
 *
 * <p>Cost (issue 18): a watch event changes the endpoint list as an {@link EndpointList} derived
 * from the last one, O(1) per key put or deleted (hash lookups), so the balancers apply only that endpoint.
 * A list (at start, after compaction) is claimed in key order; after that, endpoints that stay keep
 * their place and new ones come last. Confined to the resolver's serializer.
 */
final class Registrations {

    private static final Logger logger = Logger.getLogger(Registrations.class.getName());

    private final String target;
    private final Map<String, NamingValue> byKey = new HashMap<>();
    private final EndpointClaims claims = new EndpointClaims();

    Registrations(String target) {
        this.target = target;
    }

    /** Replaces everything with a fresh list. */
    void replace(List<KeyValue> keyValues) {
        byKey.clear();
        claims.clear();
        Map<String, NamingValue> sorted = new TreeMap<>();
        for (KeyValue kv : keyValues) {
            String key = key(kv.getKey());
            NamingValue value = parse(key, kv.getValue().toByteArray());
            if (value != null) {
                sorted.put(key, value);
            }
        }
        sorted.forEach(this::register);
    }

    /** Applies watch events in order; returns whether the endpoint list changed. */
    boolean apply(List<Event> events) {
        EndpointList before = claims.endpoints();
        for (Event event : events) {
            String key = key(event.getKv().getKey());
            NamingValue previous = byKey.remove(key);
            if (previous != null && previous.address() != null) {
                claims.release(key, List.of(previous.address()));
            }
            if (event.getType() != Event.EventType.DELETE) {
                NamingValue value = parse(key, event.getKv().getValue().toByteArray());
                if (value != null) {
                    register(key, value);
                }
            }
        }
        return claims.endpoints() != before;
    }

    int size() {
        return byKey.size();
    }

    /** One endpoint per distinct address, with the key and metadata as attributes. */
    EndpointList endpoints() {
        return claims.endpoints();
    }

    private void register(String key, NamingValue value) {
        byKey.put(key, value);
        InetSocketAddress address = value.address();
        if (address != null) {
            claims.claim(key, endpoint(address, key, value));
        }
    }

    private static Endpoint endpoint(InetSocketAddress address, String key, NamingValue value) {
        Attributes.Builder attributes = Attributes.newBuilder().set(EtcdEndpointAttributes.KEY, key);
        Object metadata = value.metadata();
        if (metadata != null) {
            attributes.set(EtcdEndpointAttributes.METADATA, metadata);
        }
        return new Endpoint(List.of(address), attributes.build());
    }

    /** The registration {@code value} holds, or {@code null} when it deletes or does not parse. */
    private @Nullable NamingValue parse(String key, byte[] value) {
        try {
            NamingValue parsed = NamingValue.parse(value);
            return parsed.delete() ? null : parsed;
        } catch (IllegalArgumentException e) {
            logger.warning("etcd resolver for '" + target + "' skips key " + key + ": " + e.getMessage());
            return null;
        }
    }

    private static String key(ByteString key) {
        return key.toString(StandardCharsets.UTF_8);
    }
}
