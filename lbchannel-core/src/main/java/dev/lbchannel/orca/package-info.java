/**
 * ORCA, gRPC's backend metrics (gRFC A51): the {@link dev.lbchannel.orca.OrcaLoadReport} a backend
 * sends, read per call from the {@code endpoint-load-metrics-bin} trailer
 * ({@link dev.lbchannel.orca.OrcaPerCallReports}) or out of band from a
 * {@code xds.service.orca.v3.OpenRcaService/StreamCoreMetrics} stream on a subchannel's own
 * connection ({@link dev.lbchannel.balancer.BalancerHelper#watchOrcaReports}). The messages are
 * encoded by hand ({@link dev.lbchannel.orca.OrcaMessages}), so core needs no protobuf runtime.
 * Public so that a policy of one's own can weigh backends as {@code weighted_round_robin} does.
 * Depends on {@code balancer}, {@code transport}, {@code serializer} and {@code protowire}.
 */
@NullMarked
package dev.lbchannel.orca;

import org.jspecify.annotations.NullMarked;
