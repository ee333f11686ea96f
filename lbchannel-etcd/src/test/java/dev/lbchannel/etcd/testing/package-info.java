/**
 * Test fixtures of the etcd module: a real etcd process ({@link dev.lbchannel.etcd.testing.Etcd})
 * and a TCP relay that can cut a client off from it ({@link dev.lbchannel.etcd.testing.TcpGate}).
 */
package dev.lbchannel.etcd.testing;
