/**
 * The channelz dashboard: an opt-in page ({@code lbchannel.dashboard.enabled=true}) that a Spring
 * MVC application serves beside its actuator, drawing every channel, its subchannels and recent
 * trace from {@code GET /actuator/channelz} in the browser. The page and its scripts are static
 * classpath files with no data in them, so it shows nothing the channelz endpoint does not; it
 * depends on the channelz package only for the endpoint's type and id.
 */
@NullMarked
package dev.lbchannel.actuate.dashboard;

import org.jspecify.annotations.NullMarked;
