/**
 * The {@code random_subsetting} policy (gRFC A68): a parent that hands its child policy only a
 * stable, per-client random subset of the resolved endpoints, chosen by rendezvous hashing, so
 * that each client of a large service connects to a few backends and a change of the endpoint
 * set moves as little of the subset as it must. Depends on {@code balancer},
 * {@code balancer.ringhash} (for XXH64), {@code channelz} (for address text) and {@code config};
 * nothing depends on it but the registry of built-in policies.
 */
@NullMarked
package dev.lbchannel.balancer.subset;

import org.jspecify.annotations.NullMarked;
