/**
 * The auto-configuration behind {@code lbchannel-spring-boot-starter}: the {@code lbchannel.*}
 * properties, their merge into one definition per channel, the conversion of YAML service
 * configs into gRPC's JSON, the per-context resolver and balancer registries, channel creation,
 * refresh and shutdown, the stub registrar and the failure analyzers. Only Spring Boot and lbchannel-core
 * are used here; nothing in this package is registered JVM-globally.
 */
@NullMarked
package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
