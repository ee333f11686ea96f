package dev.lbchannel.boot.autoconfigure;

import dev.lbchannel.LbChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import java.util.function.Consumer;

/**
 * Hands a channel the new TLS context when Spring Boot reloads its SSL bundle
 * ({@code spring.ssl.bundle.*.reload-on-update: true}): new connections use it and the channel
 * replaces its connections without failing a call ({@link LbChannel#updateSslContext}). A new
 * bundle that cannot make a client context leaves the channel on its current one and is logged
 * as an error naming the bundle and the cause, never its material. Runs on Boot's file-watcher
 * thread; stateless apart from the channel.
 */
final class SslBundleRotation implements Consumer<SslBundle> {

    private static final Log logger = LogFactory.getLog(SslBundleRotation.class);

    private final String channelName;
    private final String bundleName;
    private final LbChannel channel;

    private SslBundleRotation(String channelName, String bundleName, LbChannel channel) {
        this.channelName = channelName;
        this.bundleName = bundleName;
        this.channel = channel;
    }

    /** Rotates {@code channel}'s TLS context whenever bundle {@code bundleName} is reloaded. */
    static void register(String channelName, String bundleName, SslBundles bundles, LbChannel channel) {
        bundles.addBundleUpdateHandler(bundleName, new SslBundleRotation(channelName, bundleName, channel));
    }

    @Override
    public void accept(SslBundle bundle) {
        if (channel.isShutdown()) {
            return;
        }
        try {
            channel.updateSslContext(SslBundleContexts.forClient(bundle));
            logger.info("Channel '" + channelName + "' uses the reloaded SSL bundle '" + bundleName
                    + "' for new connections and is replacing its existing ones");
        } catch (Exception e) {
            // Boot's watcher thread must not die of it, and the channel keeps working on its current context.
            logger.error("Channel '" + channelName + "' keeps its current TLS context: the reloaded SSL bundle '"
                    + bundleName + "' cannot make a TLS client context (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
