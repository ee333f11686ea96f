/**
 * What a Spring Boot application uses directly: {@link dev.lbchannel.boot.LbChannels}, the
 * channels configured under {@code lbchannel.channels.*}, by name; the
 * {@link dev.lbchannel.boot.LbChannelBuilderCustomizer} hook; and
 * {@link dev.lbchannel.boot.ImportLbChannelStubs}, which makes generated stubs beans. Depends on
 * lbchannel-core only; the auto-configuration lives in {@code dev.lbchannel.boot.autoconfigure}.
 */
@NullMarked
package dev.lbchannel.boot;

import org.jspecify.annotations.NullMarked;
