/**
 * The Java that the YAML samples under {@code samples/} lean on, as an application would write
 * it: a resolver for a new target scheme ({@code resolver}) and a load-balancing policy chosen
 * from YAML ({@code balancer}), each with the {@code @Configuration} class that declares its
 * bean. Nothing here is auto-configured; an application imports what it copies.
 */
@NullMarked
package dev.lbchannel.samples;

import org.jspecify.annotations.NullMarked;
