package dev.lbchannel;

/**
 * Turns Netty 4.2's JFR allocation events off by default: Netty enables them whenever the JVM
 * has JFR, and loading its first event class registers JFR's event metadata, a few hundred
 * milliseconds of CPU on a channel's first call (issue 18, cold start) that a process not
 * recording never uses. Only a property nobody set is written, and only before Netty reads it
 * (its {@code PlatformDependent} initialisation): {@code -Dio.netty.jfr.enabled=true} keeps the
 * events, and an application whose Netty started first keeps whatever it chose. Thread-safe.
 */
final class NettyJfrEvents {

    static final String PROPERTY = "io.netty.jfr.enabled";

    private NettyJfrEvents() {
    }

    /** Sets {@value #PROPERTY} to {@code false} unless it is set; called before lbchannel touches Netty. */
    static void offUnlessConfigured() {
        try {
            if (System.getProperty(PROPERTY) == null) {
                System.setProperty(PROPERTY, "false");
            }
        } catch (SecurityException e) {
            // A security manager forbids it: Netty's own default stands, which is only slower to start.
        }
    }
}
