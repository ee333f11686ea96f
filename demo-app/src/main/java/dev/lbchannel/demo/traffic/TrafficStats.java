package dev.lbchannel.demo.traffic;

/**
 * What the traffic generator has done since it started.
 *
 * @param succeeded calls answered
 * @param failed calls that ended with an error status
 * @param skipped ticks dropped because every worker was still waiting on an earlier call
 */
public record TrafficStats(long succeeded, long failed, long skipped) {
}
