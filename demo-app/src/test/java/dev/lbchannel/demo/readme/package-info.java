/** The README's Spring Boot quick start, compiled and started as written by {@code ReadmeQuickStartTests}. */
package dev.lbchannel.demo.readme;
