/**
 * The demo's backends: grpc-java servers of the {@code Greeter} service on loopback, one per
 * configured port, each answering with its own id, and each stoppable and restartable on its port
 * so the client side can be watched routing around it. Depends on nothing else in the demo.
 */
@NullMarked
package dev.lbchannel.demo.backend;

import org.jspecify.annotations.NullMarked;
