/**
 * The {@code outlier_detection} policy (gRFC A50): a parent of a child policy that counts the
 * outcome of every call per endpoint and, once per interval, ejects endpoints that fail far more
 * than their peers by making their subchannels look TRANSIENT_FAILURE to the child. Depends on
 * {@code balancer}, {@code config} (for the child's config), {@code channelz} and
 * {@code resolver}; nothing depends on it but the registry of built-in policies.
 */
@NullMarked
package dev.lbchannel.balancer.outlier;

import org.jspecify.annotations.NullMarked;
