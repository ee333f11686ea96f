package dev.lbchannel.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A blocking host-name lookup: the system's, or in tests one that also records where it ran.
 * Call it only on the offload executor.
 */
@FunctionalInterface
interface HostLookup {

    /** The JVM's own lookup (the system resolver, behind the JVM's cache). */
    HostLookup SYSTEM = InetAddress::getAllByName;

    /** All addresses of {@code host}, blocking until the lookup ends. */
    InetAddress[] lookUp(String host) throws UnknownHostException;
}
