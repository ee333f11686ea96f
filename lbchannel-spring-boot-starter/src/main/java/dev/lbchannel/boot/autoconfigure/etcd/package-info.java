/**
 * Auto-configuration of lbchannel-etcd's resolver (scheme {@code etcd}) from the
 * {@code lbchannel.etcd.*} properties, active when lbchannel-etcd is on the class path. Uses
 * Spring Boot, lbchannel-core and lbchannel-etcd; the starter's main auto-configuration picks the
 * provider up as it picks up every {@code ResolverProvider} bean.
 */
@NullMarked
package dev.lbchannel.boot.autoconfigure.etcd;

import org.jspecify.annotations.NullMarked;
