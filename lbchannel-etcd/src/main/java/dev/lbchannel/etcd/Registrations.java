package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;
import dev.lbchannel.etcd.api.mvcc.Event;
import dev.lbchannel.etcd.api.mvcc.KeyValue;
import dev.lbchannel.resolver.Endpoint;
import io.grpc.Attributes;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The endpoints registered under one prefix, by key, as the last list and the watch events since
 * have left them. A key whose value does not parse is skipped with a warning that names the key
 * and the problem (as etcd's Go resolver skips it), never the value. Keys are kept in order, so
 * the endpoint list is stable; an address registered under two keys is reported once, under the
 * first key. Confined to the resolver's serializer.
 */
final class Registrations {

    private static final Logger logger = Logger.getLogger(Registrations.class.getName());

    private final String target;
    private final Map<String, NamingValue> byKey = new TreeMap<>();

    Registrations(String target) {
        this.target = target;
    }

    /** Replaces everything with a fresh list. */
    void replace(List<KeyValue> keyValues) {
        byKey.clear();
        for (KeyValue kv : keyValues) {
            put(kv.getKey(), kv.getValue().toByteArray());
        }
    }

    /** Applies watch events in order; returns whether any key changed what it registers. */
    boolean apply(List<Event> events) {
        boolean changed = false;
        for (Event event : events) {
            String key = key(event.getKv().getKey());
            NamingValue before = byKey.get(key);
            if (event.getType() == Event.EventType.DELETE) {
                byKey.remove(key);
            } else {
                put(event.getKv().getKey(), event.getKv().getValue().toByteArray());
            }
            changed |= !Objects.equals(before, byKey.get(key));
        }
        return changed;
    }

    int size() {
        return byKey.size();
    }

    /** One endpoint per distinct address, in key order, with the key and metadata as attributes. */
    List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>(byKey.size());
        Set<SocketAddress> seen = new HashSet<>();
        for (Map.Entry<String, NamingValue> entry : byKey.entrySet()) {
            InetSocketAddress address = entry.getValue().address();
            if (address == null || !seen.add(address)) {
                continue;
            }
            Attributes.Builder attributes = Attributes.newBuilder().set(EtcdEndpointAttributes.KEY, entry.getKey());
            Object metadata = entry.getValue().metadata();
            if (metadata != null) {
                attributes.set(EtcdEndpointAttributes.METADATA, metadata);
            }
            endpoints.add(new Endpoint(List.of(address), attributes.build()));
        }
        return endpoints;
    }

    private void put(ByteString rawKey, byte[] value) {
        String key = key(rawKey);
        NamingValue parsed;
        try {
            parsed = NamingValue.parse(value);
        } catch (IllegalArgumentException e) {
            byKey.remove(key);
            logger.warning("etcd resolver for '" + target + "' skips key " + key + ": " + e.getMessage());
            return;
        }
        if (parsed.delete()) {
            byKey.remove(key);
        } else {
            byKey.put(key, parsed);
        }
    }

    private static String key(ByteString key) {
        return key.toString(StandardCharsets.UTF_8);
    }
}
