/**
 * etcd's v3 API messages and grpc-java stubs (KV, Watch, Lease, Auth), generated at build time from
 * the trimmed {@code etcdserverpb/rpc.proto} in {@code src/main/proto}. Generated code: nothing here
 * is written by hand but this file; only {@code dev.lbchannel.etcd} uses it.
 */
package dev.lbchannel.etcd.api;
