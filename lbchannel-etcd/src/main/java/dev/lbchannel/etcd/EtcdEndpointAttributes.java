package dev.lbchannel.etcd;

import io.grpc.Attributes;

/**
 * The attributes the etcd resolver puts on each {@link dev.lbchannel.resolver.Endpoint}, for
 * balancers and interceptors that want what the registration said.
 */
public final class EtcdEndpointAttributes {

    /**
     * The registration's {@code Metadata}, parsed from JSON: a {@code Map<String, ?>},
     * {@code List<?>}, {@code String}, {@code Double} or {@code Boolean}; absent when the value had
     * none (or JSON {@code null}). Never logged or shown in channelz.
     */
    public static final Attributes.Key<Object> METADATA = Attributes.Key.create("lbchannel.etcd.metadata");

    /** The etcd key the endpoint was registered under, such as {@code services/orders/10.0.0.7:8443}. */
    public static final Attributes.Key<String> KEY = Attributes.Key.create("lbchannel.etcd.key");

    private EtcdEndpointAttributes() {
    }
}
