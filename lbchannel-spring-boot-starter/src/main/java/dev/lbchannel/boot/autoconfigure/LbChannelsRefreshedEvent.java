package dev.lbchannel.boot.autoconfigure;

import org.springframework.context.ApplicationEvent;

import static java.util.Objects.requireNonNull;

/**
 * Published by {@link LbChannelsRefresher} after a refresh that changed channels, on the thread
 * that refreshed: listeners that hold on to channels (meters, health) follow the replaced, added
 * and removed ones by name.
 */
public final class LbChannelsRefreshedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient LbChannelsRefresher.Result result;

    public LbChannelsRefreshedEvent(Object source, LbChannelsRefresher.Result result) {
        super(source);
        this.result = requireNonNull(result, "result");
    }

    /** What the refresh did, by channel name. */
    public LbChannelsRefresher.Result result() {
        return result;
    }
}
