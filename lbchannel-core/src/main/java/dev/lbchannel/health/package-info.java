/**
 * Client-side health checking (gRFC A17): a {@link dev.lbchannel.health.HealthWatcher} per
 * health-checked subchannel keeps a {@code grpc.health.v1.Health/Watch} stream open on the
 * subchannel's own connection and turns the server's answers into the states its balancer hears.
 * The two health messages are encoded by hand ({@link dev.lbchannel.health.HealthMessages}), so
 * core needs no protobuf runtime. Used by the channel; depends on {@code transport},
 * {@code balancer}, {@code channelz} and {@code serializer}.
 */
@NullMarked
package dev.lbchannel.health;

import org.jspecify.annotations.NullMarked;
