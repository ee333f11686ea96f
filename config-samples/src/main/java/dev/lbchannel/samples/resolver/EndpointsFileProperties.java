package dev.lbchannel.samples.resolver;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The {@code endpoints-file.*} properties of the {@code file} resolver.
 *
 * @param pollInterval how often every {@code file:} channel re-reads its file; 0 reads it only
 *     when the channel asks
 */
@ConfigurationProperties("endpoints-file")
public record EndpointsFileProperties(@DefaultValue("5s") Duration pollInterval) {
}
