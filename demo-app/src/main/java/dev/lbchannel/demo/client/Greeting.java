package dev.lbchannel.demo.client;

/**
 * One answered greeting.
 *
 * @param message the backend's greeting
 * @param backendId the id of the backend that served the call
 * @param channel the channel the call went through
 */
public record Greeting(String message, int backendId, String channel) {
}
