/**
 * A Java implementation of HashiCorp go-plugin's gRPC-mode wire protocol, core protocol version 1.
 *
 * <p>It knows nothing of htmlize: it could host, or serve, any go-plugin plugin. This package holds what both
 * ends share: the {@linkplain HandshakeConfig handshake configuration}, the {@linkplain HandshakeLine handshake
 * line}, the {@linkplain ReattachConfig reattach configuration}, {@linkplain AutoMtls AutoMTLS} certificates and
 * the {@linkplain Transports transports} (unix domain sockets through netty's epoll, or TCP on loopback).
 * The host side is in {@link dev.htmlize.goplugin.host}, the plugin side in {@link dev.htmlize.goplugin.serve}.
 */
package dev.htmlize.goplugin;
