/**
 * etcd's storage messages ({@code KeyValue}, {@code Event}), generated at build time from
 * {@code mvccpb/kv.proto} in {@code src/main/proto}. Generated code, used by
 * {@code dev.lbchannel.etcd.api} and {@code dev.lbchannel.etcd}.
 */
package dev.lbchannel.etcd.api.mvcc;
