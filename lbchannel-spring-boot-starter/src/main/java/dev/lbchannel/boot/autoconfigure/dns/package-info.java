/**
 * Auto-configuration of the built-in {@code dns} resolver from the {@code lbchannel.dns.*}
 * properties (periodic refresh, TTLs, rate limit), active only when one of them is set. Uses
 * Spring Boot and lbchannel-core; the starter's main auto-configuration picks the provider up as it
 * picks up every {@code ResolverProvider} bean, in place of the built-in one.
 */
@NullMarked
package dev.lbchannel.boot.autoconfigure.dns;

import org.jspecify.annotations.NullMarked;
