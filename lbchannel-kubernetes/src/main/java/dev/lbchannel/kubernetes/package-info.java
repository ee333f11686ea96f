/**
 * The {@code kubernetes} resolver: a Service's ready endpoints, read from its
 * {@code discovery.k8s.io/v1} EndpointSlices with the fabric8 client (listed, then watched).
 * {@link dev.lbchannel.kubernetes.KubernetesResolverProvider} is the one public type; it depends
 * on core's resolver SPI and on fabric8's client API only.
 */
@NullMarked
package dev.lbchannel.kubernetes;

import org.jspecify.annotations.NullMarked;
