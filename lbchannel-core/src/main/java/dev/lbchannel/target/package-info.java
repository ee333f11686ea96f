/**
 * Target strings as gRPC's naming doc defines them ({@code scheme://authority/endpoint}).
 * Depends on nothing else in lbchannel.
 */
@NullMarked
package dev.lbchannel.target;

import org.jspecify.annotations.NullMarked;
