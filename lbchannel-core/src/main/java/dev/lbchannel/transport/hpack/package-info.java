/**
 * HPACK (RFC 7541) for the client's HTTP/2 connection: {@link dev.lbchannel.transport.hpack.HeaderBlockEncoder}
 * writes a request's header block, {@link dev.lbchannel.transport.hpack.HeaderBlockDecoder} reads a
 * response's, each with a dynamic table that grows as entries arrive instead of being allocated
 * at its largest. Depends only on Netty's buffers and its HTTP/2 header and error types; used by
 * {@code transport}.
 */
@NullMarked
package dev.lbchannel.transport.hpack;

import org.jspecify.annotations.NullMarked;
