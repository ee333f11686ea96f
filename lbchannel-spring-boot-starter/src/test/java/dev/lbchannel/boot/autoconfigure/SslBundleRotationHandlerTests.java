package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import dev.lbchannel.LbChannelBuilder;
import dev.lbchannel.channelz.TraceEvent;
import dev.lbchannel.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a channel does with a reloaded SSL bundle, good or unusable, through Boot's bundle registry. */
@Timeout(30)
class SslBundleRotationHandlerTests {

    private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("orders-client",
            SslBundle.of(SslStoreBundle.NONE));
    private final LbChannel channel = LbChannelBuilder.forTarget("static:///127.0.0.1:1").build();

    @AfterEach
    void shutdown() throws Exception {
        channel.shutdownNow();
        assertThat(channel.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReloadedBundleRotatesTheChannelsContext() {
        SslBundleRotation.register("orders", "orders-client", bundles, channel);

        bundles.updateBundle("orders-client", SslBundle.of(SslStoreBundle.NONE));

        Await.until("the rotation in the channel's trace", () -> rotated(channel));
    }

    @Test
    void anUnusableReloadedBundleKeepsTheCurrentContextAndDoesNotThrow() {
        SslBundleRotation.register("orders", "orders-client", bundles, channel);

        bundles.updateBundle("orders-client", new UnusableBundle());
        bundles.updateBundle("orders-client", SslBundle.of(SslStoreBundle.NONE));

        // Handlers run in order on one thread: once the good bundle is in, the bad one was skipped.
        Await.until("the good bundle's rotation", () -> rotated(channel));
        assertThat(channel.snapshot().trace()).filteredOn(e -> e.description().startsWith("TLS context updated"))
                .hasSize(1);
    }

    private static boolean rotated(LbChannel channel) {
        return channel.snapshot().trace().stream().map(TraceEvent::description)
                .anyMatch(d -> d.startsWith("TLS context updated"));
    }

    /** A bundle whose key material cannot be loaded, as a half-written key file gives. */
    private static final class UnusableBundle implements SslBundle {
        @Override
        public SslStoreBundle getStores() {
            return SslStoreBundle.NONE;
        }

        @Override
        public SslBundleKey getKey() {
            return SslBundleKey.NONE;
        }

        @Override
        public SslOptions getOptions() {
            return SslOptions.NONE;
        }

        @Override
        public String getProtocol() {
            return "TLS";
        }

        @Override
        public SslManagerBundle getManagers() {
            throw new IllegalStateException("Unable to read the private key");
        }
    }
}
