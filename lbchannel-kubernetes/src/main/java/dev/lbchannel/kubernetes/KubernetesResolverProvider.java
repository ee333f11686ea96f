package dev.lbchannel.kubernetes;

import dev.lbchannel.resolver.Resolver;
import dev.lbchannel.resolver.ResolverArgs;
import dev.lbchannel.resolver.ResolverProvider;
import dev.lbchannel.target.Target;
import io.fabric8.kubernetes.client.KubernetesClient;

import static java.util.Objects.requireNonNull;

/**
 * The {@code kubernetes} scheme: {@code kubernetes:///orders.shop:grpc} resolves to the ready
 * endpoints of the Service {@code orders} in the namespace {@code shop}, on the pods' port named
 * {@code grpc}; {@code kubernetes:///orders.shop:50051} names the pods' port by number, and
 * {@code kubernetes:///orders} means the client's namespace and the slices' only port. The
 * resolver lists the Service's {@code discovery.k8s.io/v1} EndpointSlices (label
 * {@code kubernetes.io/service-name}), watches them from there, and reports every change: pods
 * that become ready get calls at once, and pods that stop being ready (terminating ones among
 * them) get no new calls. Each endpoint carries its zone and zone hints
 * ({@link dev.lbchannel.resolver.EndpointAttributes}).
 *
 * <p>It needs get, list and watch on {@code endpointslices} in group {@code discovery.k8s.io} in
 * the Service's namespace. The client is the application's: fabric8's default configuration
 * reads the in-cluster service account or a kubeconfig, and this provider never closes it.
 *
 * <pre>{@code
 * LbChannel orders = LbChannelBuilder.forTarget("kubernetes:///orders.shop:grpc")
 *     .resolverProvider(new KubernetesResolverProvider(new KubernetesClientBuilder().build()))
 *     .defaultLoadBalancingPolicy("round_robin")
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe; creating a resolver validates the target and starts no work.
 */
public final class KubernetesResolverProvider implements ResolverProvider {

    public static final String SCHEME = "kubernetes";

    private final KubernetesClient client;

    public KubernetesResolverProvider(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    /** @throws IllegalArgumentException naming the target when the Service, namespace or port is malformed */
    @Override
    public Resolver newResolver(Target target, ResolverArgs args) {
        requireNonNull(target, "target");
        requireNonNull(args, "args");
        ServiceTarget service = ServiceTarget.parse(target);
        String namespace = service.namespace() != null ? service.namespace() : client.getNamespace();
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("Invalid target '" + target + "': it names no namespace and the "
                    + "Kubernetes client has none; write kubernetes:///" + service.service() + ".<namespace>:port");
        }
        return new KubernetesResolver(client, service, namespace, args);
    }

    /**
     * The Service's cluster DNS name, {@code service.namespace.svc}, which a certificate for the
     * Service names; without a port, since the target's port is the pods', not the Service's.
     */
    @Override
    public String defaultAuthority(Target target) {
        ServiceTarget service = ServiceTarget.parse(target);
        String namespace = service.namespace() != null ? service.namespace() : client.getNamespace();
        return namespace == null || namespace.isEmpty() ? service.service()
                : service.service() + "." + namespace + ".svc";
    }
}
