package dev.lbchannel.actuate.channelz;

import dev.lbchannel.LbChannel;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What {@code POST /actuator/channelz/{name}/{operation}} may do to a channel. Each is harmless
 * to correctness (calls keep working) but changes timing, which is why the endpoint offers them
 * only where its access is unrestricted.
 */
enum ChannelOperation {

    /** Reconnects backing-off subchannels now and lets a failing resolver retry at once. */
    RESET_CONNECT_BACKOFF("resetConnectBackoff", LbChannel::resetConnectBackoff),

    /** Drops the channel's connections and resolver until its next call. */
    ENTER_IDLE("enterIdle", LbChannel::enterIdle),

    /** Asks the channel's resolver for a fresh resolution now. */
    REFRESH_RESOLUTION("refreshResolution", LbChannel::refreshResolution);

    private final String path;
    private final Consumer<LbChannel> action;

    ChannelOperation(String path, Consumer<LbChannel> action) {
        this.path = path;
        this.action = action;
    }

    static @Nullable ChannelOperation forPath(String path) {
        for (ChannelOperation operation : values()) {
            if (operation.path.equals(path)) {
                return operation;
            }
        }
        return null;
    }

    static String paths() {
        return String.join(", ", Arrays.stream(values()).map(o -> o.path).toList());
    }

    String path() {
        return path;
    }

    void applyTo(LbChannel channel) {
        action.accept(channel);
    }
}
