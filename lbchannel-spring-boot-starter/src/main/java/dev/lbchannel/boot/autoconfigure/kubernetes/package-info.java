/**
 * Auto-configuration of the {@code kubernetes} resolver when {@code lbchannel-kubernetes} is on
 * the class path: one fabric8 {@code KubernetesClient} (unless the application has one) and the
 * {@code kubernetes} {@code ResolverProvider} bean, which the starter registers by its scheme.
 * Depends on lbchannel-kubernetes and Spring Boot only.
 */
@NullMarked
package dev.lbchannel.boot.autoconfigure.kubernetes;

import org.jspecify.annotations.NullMarked;
