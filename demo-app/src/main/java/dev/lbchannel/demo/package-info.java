/**
 * The lbchannel demo: an application that starts three gRPC backends in-process and balances
 * calls over them with lbchannel channels configured in {@code application.yml}. Sub-packages by
 * concept: {@code backend} (the servers), {@code resolver} (the {@code demo} scheme),
 * {@code client} (stubs on the channels), {@code traffic} (background calls) and {@code web}
 * (the HTTP endpoints).
 */
@NullMarked
package dev.lbchannel.demo;

import org.jspecify.annotations.NullMarked;
