/**
 * The {@code discovery} resolver ({@code discovery:///service-id}) over the application's Spring
 * Cloud {@code DiscoveryClient} (Eureka, Consul, the simple one from properties, ...), and its
 * auto-configuration, active when spring-cloud-commons and a {@code DiscoveryClient} bean are
 * present. Depends on lbchannel-core, spring-cloud-commons and Spring Boot only.
 */
@NullMarked
package dev.lbchannel.boot.autoconfigure.discovery;

import org.jspecify.annotations.NullMarked;
