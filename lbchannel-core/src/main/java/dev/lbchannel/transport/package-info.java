/**
 * gRPC over HTTP/2 on Netty: one {@link dev.lbchannel.transport.ClientTransport} per connection,
 * one {@link dev.lbchannel.transport.ClientStream} per RPC, and the message framing of gRPC's
 * PROTOCOL-HTTP2 doc. Knows nothing of resolvers or balancers; depends only on grpc-api and Netty.
 */
@NullMarked
package dev.lbchannel.transport;

import org.jspecify.annotations.NullMarked;
