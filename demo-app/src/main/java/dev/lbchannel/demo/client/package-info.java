/**
 * The client side of the demo: a generated blocking stub on every channel the starter built from
 * {@code lbchannel.channels.*}, and what a greeting call returns or how it failed. The web and
 * traffic packages call through here; this package knows nothing of them.
 */
@NullMarked
package dev.lbchannel.demo.client;

import org.jspecify.annotations.NullMarked;
