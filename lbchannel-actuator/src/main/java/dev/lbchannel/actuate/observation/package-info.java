/**
 * Micrometer Observations of lbchannel calls: one observation per call through Micrometer's gRPC
 * client instrumentation, so Spring's tracing starts a span for each call and propagates its context
 * in the request headers, and the observation timer carries the channel's name. An application's
 * {@code GrpcClientObservationConvention} bean replaces the default naming and tags.
 */
@NullMarked
package dev.lbchannel.actuate.observation;

import org.jspecify.annotations.NullMarked;
