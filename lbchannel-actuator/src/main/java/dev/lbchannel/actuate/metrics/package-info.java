/**
 * Micrometer meters for channels, named after gRPC's OpenTelemetry metrics (gRFC A66/A94/A96): a
 * client interceptor for per-call meters, added to every channel through an
 * {@code LbChannelBuilderCustomizer}, and a binder for per-channel subchannel gauges. Meter and tag
 * names live in {@link dev.lbchannel.actuate.metrics.GrpcMeterNames}.
 */
@NullMarked
package dev.lbchannel.actuate.metrics;

import org.jspecify.annotations.NullMarked;
