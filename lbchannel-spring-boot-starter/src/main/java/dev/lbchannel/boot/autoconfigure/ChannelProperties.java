package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The settings of one channel ({@code lbchannel.channels.<name>.*}), or the defaults for all
 * ({@code lbchannel.defaults.*}). An unset value is {@code null}, so that the merge can tell
 * "not set here" from "set to the default"; the defaults named in the javadoc apply after the
 * merge. Leaf names follow Spring Boot's {@code spring.grpc.client.channel.<name>.*}.
 */
public class ChannelProperties {

    /** Whether this channel is created. Default: true. */
    private @Nullable Boolean enabled;

    /** The target: scheme:///endpoint with a registered scheme (dns, static, passthrough, or a ResolverProvider bean's), or host:port for dns. */
    private @Nullable String target;

    /** Whether to speak HTTP/2 in cleartext instead of TLS. Default: false (TLS with hostname verification). */
    private @Nullable Boolean plaintext;

    /** The :authority (and TLS server name) that calls carry instead of the target's. */
    private @Nullable String authority;

    /** Put in front of lbchannel's own user-agent. */
    private @Nullable String userAgent;

    /** The gRPC service config, as YAML: gRPC's JSON fields in camelCase or kebab-case, Spring or gRPC durations. */
    private @Nullable Map<String, Object> serviceConfig;

    /** The gRPC service config as JSON text; the alternative to service-config. */
    private @Nullable String serviceConfigJson;

    /** Names of the ClientInterceptor beans for this channel, in the order they run; default: every ClientInterceptor bean, in @Order. */
    private @Nullable List<String> interceptors;

    /** Whether to connect when the application starts rather than on the first call. Default: false. */
    private @Nullable Boolean connectOnStartup;

    /**
     * Replace each connection after this long (give or take 10 %), opening the new one before the old one drains,
     * so that calls spread over backends added since; at least 1s; a bare number is seconds. Default: never.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration maxConnectionAge;

    private final Ssl ssl = new Ssl();

    private final Default defaultProperties = new Default();

    private final Idle idle = new Idle();

    private final Keepalive keepalive = new Keepalive();

    private final Inbound inbound = new Inbound();

    private final Retry retry = new Retry();

    public @Nullable Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getTarget() {
        return target;
    }

    public void setTarget(@Nullable String target) {
        this.target = target;
    }

    public @Nullable Boolean getPlaintext() {
        return plaintext;
    }

    public void setPlaintext(@Nullable Boolean plaintext) {
        this.plaintext = plaintext;
    }

    public @Nullable String getAuthority() {
        return authority;
    }

    public void setAuthority(@Nullable String authority) {
        this.authority = authority;
    }

    public @Nullable String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(@Nullable String userAgent) {
        this.userAgent = userAgent;
    }

    public @Nullable Map<String, Object> getServiceConfig() {
        return serviceConfig;
    }

    public void setServiceConfig(@Nullable Map<String, Object> serviceConfig) {
        this.serviceConfig = serviceConfig;
    }

    public @Nullable String getServiceConfigJson() {
        return serviceConfigJson;
    }

    public void setServiceConfigJson(@Nullable String serviceConfigJson) {
        this.serviceConfigJson = serviceConfigJson;
    }

    public @Nullable List<String> getInterceptors() {
        return interceptors;
    }

    public void setInterceptors(@Nullable List<String> interceptors) {
        this.interceptors = interceptors;
    }

    public @Nullable Boolean getConnectOnStartup() {
        return connectOnStartup;
    }

    public void setConnectOnStartup(@Nullable Boolean connectOnStartup) {
        this.connectOnStartup = connectOnStartup;
    }

    public @Nullable Duration getMaxConnectionAge() {
        return maxConnectionAge;
    }

    public void setMaxConnectionAge(@Nullable Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Default getDefault() {
        return defaultProperties;
    }

    public Idle getIdle() {
        return idle;
    }

    public Keepalive getKeepalive() {
        return keepalive;
    }

    public Inbound getInbound() {
        return inbound;
    }

    public Retry getRetry() {
        return retry;
    }

    /** TLS material. */
    public static class Ssl {

        /** The SSL bundle (spring.ssl.bundle.*) with the trust material, and the key for mutual TLS. */
        private @Nullable String bundle;

        public @Nullable String getBundle() {
            return bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }
    }

    /** What calls get when nothing else says. */
    public static class Default {

        /** The deadline of every call that has none of its own; a bare number is seconds, as in Spring Boot. Default: none. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration deadline;

        /** The load-balancing policy when no service config names one. Default: round_robin, as in Spring Boot. */
        private @Nullable String loadBalancingPolicy;

        public @Nullable Duration getDeadline() {
            return deadline;
        }

        public void setDeadline(@Nullable Duration deadline) {
            this.deadline = deadline;
        }

        public @Nullable String getLoadBalancingPolicy() {
            return loadBalancingPolicy;
        }

        public void setLoadBalancingPolicy(@Nullable String loadBalancingPolicy) {
            this.loadBalancingPolicy = loadBalancingPolicy;
        }
    }

    /** Idleness. */
    public static class Idle {

        /**
         * How long without calls before the channel drops its connections and stops resolving; at least 1s; a bare
         * number is seconds. Default: 30m.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration timeout;

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** HTTP/2 keepalive pings. */
    public static class Keepalive {

        /** How long without reads before a keepalive ping; at least 10s; a bare number is seconds. Default: no pings. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration time;

        /** How long to wait for a ping's acknowledgement before closing the connection; a bare number is seconds. Default: 20s. */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration timeout;

        /** Whether to ping while no call is in flight. Default: false. */
        private @Nullable Boolean withoutCalls;

        public @Nullable Duration getTime() {
            return time;
        }

        public void setTime(@Nullable Duration time) {
            this.time = time;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        public @Nullable Boolean getWithoutCalls() {
            return withoutCalls;
        }

        public void setWithoutCalls(@Nullable Boolean withoutCalls) {
            this.withoutCalls = withoutCalls;
        }
    }

    /** Limits on what the server sends. */
    public static class Inbound {

        private final Message message = new Message();

        private final Metadata metadata = new Metadata();

        public Message getMessage() {
            return message;
        }

        public Metadata getMetadata() {
            return metadata;
        }

        /** Response messages. */
        public static class Message {

            /** The largest response message accepted. Default: 4MB. */
            private @Nullable DataSize maxSize;

            public @Nullable DataSize getMaxSize() {
                return maxSize;
            }

            public void setMaxSize(@Nullable DataSize maxSize) {
                this.maxSize = maxSize;
            }
        }

        /** Response headers and trailers. */
        public static class Metadata {

            /** The largest response metadata (headers or trailers) accepted. Default: 8KB. */
            private @Nullable DataSize maxSize;

            public @Nullable DataSize getMaxSize() {
                return maxSize;
            }

            public void setMaxSize(@Nullable DataSize maxSize) {
                this.maxSize = maxSize;
            }
        }
    }

    /** Retries and hedging of calls: whether the service config's policies apply, and the channel's limits on them. */
    public static class Retry {

        /** Whether the service config's retryPolicy and hedgingPolicy apply; transparent retries happen either way. Default: true. */
        private @Nullable Boolean enabled;

        /** The most attempts a retry or hedging policy may make, the first included; a policy's larger maxAttempts is capped at this. Default: 5. */
        private @Nullable Integer maxAttempts;

        /** Request bytes all calls of the channel may keep for retries and hedges at once; a call that would exceed it stops retrying. Default: 16MB. */
        private @Nullable DataSize bufferSize;

        /** Request bytes one call may keep for retries and hedges; a call that would exceed it stops retrying. Default: 1MB. */
        private @Nullable DataSize perRpcBufferLimit;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public @Nullable DataSize getBufferSize() {
            return bufferSize;
        }

        public void setBufferSize(@Nullable DataSize bufferSize) {
            this.bufferSize = bufferSize;
        }

        public @Nullable DataSize getPerRpcBufferLimit() {
            return perRpcBufferLimit;
        }

        public void setPerRpcBufferLimit(@Nullable DataSize perRpcBufferLimit) {
            this.perRpcBufferLimit = perRpcBufferLimit;
        }
    }
}
