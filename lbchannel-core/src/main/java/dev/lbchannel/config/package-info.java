/**
 * gRPC's service config: a strict JSON reader ({@link dev.lbchannel.config.Json}), and
 * {@link dev.lbchannel.config.ServiceConfig}, which validates the JSON of gRPC's
 * service_config.md (gRFCs A2, A6, A17, A21) into immutable records the channel applies per
 * call. Depends on {@code balancer} only for policy names and their config parsers.
 */
@NullMarked
package dev.lbchannel.config;

import org.jspecify.annotations.NullMarked;
