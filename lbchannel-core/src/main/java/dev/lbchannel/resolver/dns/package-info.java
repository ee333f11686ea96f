/**
 * The {@code dns} resolver: A and AAAA records of a host, its gRPC service config from the TXT
 * records of {@code _grpc_config.<host>} (gRFC A2), rate-limited re-resolution, an opt-in
 * periodic refresh and an opt-in refresh when the records' TTL runs out, all on Netty's
 * asynchronous DNS client. Depends on {@code resolver}, {@code target} and {@code config} (for
 * the JSON reader) only.
 */
@NullMarked
package dev.lbchannel.resolver.dns;

import org.jspecify.annotations.NullMarked;
