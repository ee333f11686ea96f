/**
 * The protobuf wire format by hand, for the few gRPC messages core speaks itself (health
 * checking's {@code grpc.health.v1}, ORCA's load reports), so that core needs no protobuf runtime
 * and works whatever protobuf-java version an application brings. Depends on nothing; used by
 * {@code health} and {@code orca}.
 */
@NullMarked
package dev.lbchannel.protowire;

import org.jspecify.annotations.NullMarked;
