package dev.lbchannel.etcd;

import com.google.protobuf.ByteString;
import dev.lbchannel.etcd.api.mvcc.Event;
import dev.lbchannel.etcd.api.mvcc.KeyValue;
import dev.lbchannel.resolver.Endpoint;
import dev.lbchannel.resolver.EndpointList;
import io.grpc.Attributes;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The endpoints registered under one prefix, by key, as the last list and the watch events since
 * have left them. A key whose value does not parse is skipped with a warning that names the key
 * and the problem (as etcd's Go resolver skips it), never the value. An address registered under
 * two keys is reported once, under the first key in key order.
 *
 * <p>Cost (issue 18): a watch event changes the endpoint list as an {@link EndpointList} derived
 * from the last one, O(log n) per key put or deleted, so the balancers apply only that endpoint;
 * a list (at start, after compaction) is reconciled with the last one, O(n). A list starts in key
 * order; endpoints that stay keep their place and new ones come last. Confined to the
 * resolver's serializer.
 */
final class Registrations {

    private static final Logger logger = Logger.getLogger(Registrations.class.getName());

    private final String target;
    private final Map<String, NamingValue> byKey = new HashMap<>();
    /** The keys registering each address; the first in key order names the reported endpoint. */
    private final Map<InetSocketAddress, TreeSet<String>> keysByAddress = new HashMap<>();
    private final Map<InetSocketAddress, Endpoint> reported = new HashMap<>();
    private EndpointList endpoints = EndpointList.of(List.of());
    /** The change the events being applied make, netted: an endpoint added and removed in one batch is neither. */
    private final List<Endpoint> removed = new ArrayList<>();
    private final List<Endpoint> added = new ArrayList<>();

    Registrations(String target) {
        this.target = target;
    }

    /** Replaces everything with a fresh list. */
    void replace(List<KeyValue> keyValues) {
        byKey.clear();
        keysByAddress.clear();
        reported.clear();
        Map<String, NamingValue> sorted = new TreeMap<>();
        for (KeyValue kv : keyValues) {
            NamingValue value = parse(key(kv.getKey()), kv.getValue().toByteArray());
            if (value != null) {
                sorted.put(key(kv.getKey()), value);
            }
        }
        List<Endpoint> inKeyOrder = new ArrayList<>(sorted.size());
        sorted.forEach((key, value) -> {
            byKey.put(key, value);
            InetSocketAddress address = value.address();
            if (address != null && keysByAddress.computeIfAbsent(address, a -> new TreeSet<>()).add(key)
                    && !reported.containsKey(address)) {
                Endpoint endpoint = endpoint(address, key, value);
                reported.put(address, endpoint);
                inKeyOrder.add(endpoint);
            }
        });
        endpoints = EndpointList.reconcile(endpoints, inKeyOrder);
    }

    /** Applies watch events in order; returns whether any key changed what it registers. */
    boolean apply(List<Event> events) {
        removed.clear();
        added.clear();
        for (Event event : events) {
            String key = key(event.getKv().getKey());
            NamingValue before = byKey.get(key);
            NamingValue after = event.getType() == Event.EventType.DELETE ? null
                    : parse(key, event.getKv().getValue().toByteArray());
            if (Objects.equals(before, after)) {
                continue;
            }
            if (after == null) {
                byKey.remove(key);
            } else {
                byKey.put(key, after);
            }
            if (before != null) {
                unregister(key, before);
            }
            if (after != null) {
                register(key, after);
            }
        }
        EndpointList next = endpoints.with(removed, added);
        boolean changed = next != endpoints;
        endpoints = next;
        removed.clear();
        added.clear();
        return changed;
    }

    int size() {
        return byKey.size();
    }

    /** One endpoint per distinct address, with the key and metadata as attributes. */
    EndpointList endpoints() {
        return endpoints;
    }

    private void unregister(String key, NamingValue value) {
        InetSocketAddress address = value.address();
        if (address == null) {
            return;
        }
        TreeSet<String> keys = keysByAddress.get(address);
        boolean wasOwner = keys.first().equals(key);
        keys.remove(key);
        if (keys.isEmpty()) {
            keysByAddress.remove(address);
            leave(reported.remove(address));
        } else if (wasOwner) {
            reportUnder(address, keys.first());
        }
    }

    private void register(String key, NamingValue value) {
        InetSocketAddress address = value.address();
        if (address == null) {
            return;
        }
        TreeSet<String> keys = keysByAddress.computeIfAbsent(address, a -> new TreeSet<>());
        keys.add(key);
        if (keys.first().equals(key)) {
            reportUnder(address, key);
        }
    }

    /** Reports {@code address} under {@code owner}'s registration, replacing what it was reported as. */
    private void reportUnder(InetSocketAddress address, String owner) {
        Endpoint next = endpoint(address, owner, byKey.get(owner));
        Endpoint previous = reported.get(address);
        if (next.equals(previous)) {
            return;
        }
        if (previous != null) {
            leave(previous);
        }
        reported.put(address, join(next));
    }

    /** Notes {@code endpoint} as added, or takes back an equal one this batch removed; returns the one listed. */
    private Endpoint join(Endpoint endpoint) {
        for (int i = 0; i < removed.size(); i++) {
            if (removed.get(i).equals(endpoint)) { // removed and back in one batch: the list keeps its object
                return removed.remove(i);
            }
        }
        added.add(endpoint);
        return endpoint;
    }

    /** Notes {@code endpoint} as removed, unless this batch added it (then it never reached the list). */
    private void leave(Endpoint endpoint) {
        for (int i = 0; i < added.size(); i++) {
            if (added.get(i) == endpoint) {
                added.remove(i);
                return;
            }
        }
        removed.add(endpoint);
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
