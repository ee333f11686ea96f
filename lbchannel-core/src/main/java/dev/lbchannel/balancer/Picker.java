package dev.lbchannel.balancer;

/**
 * Chooses where one RPC goes. Immutable and thread-safe: RPCs on any thread call
 * {@link #pick} concurrently, without locks. A picker must not allocate in the steady state:
 * keep one {@link PickResult} per subchannel, made when the picker is built.
 */
@FunctionalInterface
public interface Picker {

    PickResult pick(PickArgs args);
}
