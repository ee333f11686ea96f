package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.transport.TransportKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code lbchannel.*} properties: channels by name, the defaults merged into each of them,
 * and the start-up and shutdown bounds. Bound once at start-up; not thread-safe.
 */
@ConfigurationProperties("lbchannel")
public class LbChannelProperties {

    /** Whether to create the channels configured under lbchannel.channels. */
    private boolean enabled = true;

    /** Channel settings merged field by field into every channel; a channel's own setting wins. */
    @NestedConfigurationProperty
    private final ChannelProperties defaults = new ChannelProperties();

    /** Channels by name. */
    private final Map<String, ChannelProperties> channels = new LinkedHashMap<>();

    private final Startup startup = new Startup();

    private final Shutdown shutdown = new Shutdown();

    private final Executor executor = new Executor();

    /**
     * Netty's I/O transport for all channels: auto (native epoll where it loads, else NIO, as
     * grpc-java does), nio, epoll or io_uring (start-up fails, saying why, where the chosen native
     * transport cannot load; io_uring needs Netty's io_uring jar, which the starter does not bring).
     */
    private TransportKind transport = TransportKind.AUTO;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public ChannelProperties getDefaults() {
        return defaults;
    }

    public Map<String, ChannelProperties> getChannels() {
        return channels;
    }

    public Startup getStartup() {
        return startup;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Executor getExecutor() {
        return executor;
    }

    public TransportKind getTransport() {
        return transport;
    }

    public void setTransport(TransportKind transport) {
        this.transport = transport;
    }

    /** How start-up waits for the channels that connect on start-up. */
    public static class Startup {

        /** How long start-up waits, for all channels together, for connect-on-startup channels to be READY. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }
    }

    /** How channels shut down with the application context. */
    public static class Shutdown {

        /** How long in-flight calls may finish after shutdown starts before the channels are closed forcibly. */
        private Duration gracePeriod = Duration.ofSeconds(30);

        public Duration getGracePeriod() {
            return gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }

    /** The executor for call callbacks when virtual threads are not in use. */
    public static class Executor {

        /** Most threads running call callbacks at once; the default is twice the processors, at least 8. */
        private int maxThreads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

        public int getMaxThreads() {
            return maxThreads;
        }

        public void setMaxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
        }
    }
}
