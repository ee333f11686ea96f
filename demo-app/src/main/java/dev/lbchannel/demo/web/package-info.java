/**
 * The demo's HTTP face (Spring MVC): {@code /hello} through a chosen channel, {@code /backends} to
 * list, stop and start backends, errors as small JSON bodies (a gRPC status, never a stack
 * trace), and the start-up log line with the URLs to open.
 */
@NullMarked
package dev.lbchannel.demo.web;

import org.jspecify.annotations.NullMarked;
