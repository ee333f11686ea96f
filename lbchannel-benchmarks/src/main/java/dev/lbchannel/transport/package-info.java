/**
 * JMH benchmarks of the transport's package-private hot paths (framing, deframing, request
 * headers, the frame reader against Netty's on captured connections) and the tools that capture
 * and count what crosses the wire ({@code FrameCapture}, {@code StreamWireCount}). They live in
 * the transport's own package, in this module only, to reach those classes without making them
 * public; nothing in lbchannel-core depends on them.
 */
@NullMarked
package dev.lbchannel.transport;

import org.jspecify.annotations.NullMarked;
