/**
 * Test fixtures of the etcd module: a real etcd process ({@link dev.lbchannel.etcd.testing.Etcd}),
 * which a test cuts a client off from with lbchannel-core's {@code TcpProxy}.
 */
package dev.lbchannel.etcd.testing;
