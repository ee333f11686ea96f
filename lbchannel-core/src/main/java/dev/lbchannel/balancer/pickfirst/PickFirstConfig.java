package dev.lbchannel.balancer.pickfirst;

/** The parsed {@code pick_first} config block. */
record PickFirstConfig(boolean shuffleAddressList) {
}
