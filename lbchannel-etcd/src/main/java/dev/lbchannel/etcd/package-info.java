/**
 * The {@code etcd} resolver: endpoints registered under a key prefix in the format of etcd's Go
 * {@code endpoints.Manager} ({@code <prefix>/<id>} holding {@code {"Addr":"host:port","Metadata":...}}),
 * listed with a Range and followed with a Watch over an lbchannel channel to the etcd cluster.
 * Depends on lbchannel-core's resolver SPI and channel, and on the etcd API generated into
 * {@code dev.lbchannel.etcd.api}.
 */
@NullMarked
package dev.lbchannel.etcd;

import org.jspecify.annotations.NullMarked;
