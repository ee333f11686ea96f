package dev.lbchannel.boot.autoconfigure.etcd;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lbchannel.etcd.*} properties: where the {@code etcd} resolver finds etcd for
 * {@code etcd:///prefix} targets, and how it authenticates and retries. Bound once at start-up;
 * not thread-safe. {@link #toString()} never shows the password.
 */
@ConfigurationProperties("lbchannel.etcd")
public class LbChannelEtcdProperties {

    /** Whether to register the etcd resolver (scheme etcd) when lbchannel-etcd is on the class path. */
    private boolean enabled = true;

    /** The etcd members for etcd:///prefix targets, as etcdctl takes them: host:port, http://host:port or https://host:port (TLS with the JVM's trust store). */
    private List<String> endpoints = new ArrayList<>();

    /** The user for etcd's authentication; needs lbchannel.etcd.password. */
    private @Nullable String username;

    /** The password for etcd's authentication; never logged. */
    private @Nullable String password;

    /** The deadline of listing a prefix (and of authenticating). */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /** How often to ping etcd, so that a hung etcd whose connection stays open is noticed; etcd refuses pings more often than every 5s. */
    private Duration keepaliveTime = Duration.ofSeconds(30);

    private final Backoff backoff = new Backoff();

    private final Ssl ssl = new Ssl();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getKeepaliveTime() {
        return keepaliveTime;
    }

    public void setKeepaliveTime(Duration keepaliveTime) {
        this.keepaliveTime = keepaliveTime;
    }

    public Backoff getBackoff() {
        return backoff;
    }

    public Ssl getSsl() {
        return ssl;
    }

    @Override
    public String toString() {
        return "LbChannelEtcdProperties[enabled=" + enabled + ", endpoints=" + endpoints + ", username=" + username
                + ", requestTimeout=" + requestTimeout + ", ssl.bundle=" + ssl.getBundle() + "]";
    }

    /** TLS to etcd. */
    public static class Ssl {

        /** The SSL bundle (spring.ssl.bundle.*) to reach etcd with over TLS: its trust material, and its key for mutual TLS. */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** How long the resolver waits before it reconnects after etcd failed or closed the watch. */
    public static class Backoff {

        /** The first wait; each failure in a row multiplies it by 1.6, up to max. */
        private Duration initial = Duration.ofMillis(500);

        /** The longest wait between reconnection attempts. */
        private Duration max = Duration.ofSeconds(10);

        public Duration getInitial() {
            return initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }
    }
}
