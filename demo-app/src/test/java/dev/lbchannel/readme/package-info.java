/** The README's Spring Boot quick start, compiled and started as written by {@code ReadmeQuickStartTests}; outside {@code dev.lbchannel.demo} so that the demo's own component scan never finds it. */
package dev.lbchannel.readme;
