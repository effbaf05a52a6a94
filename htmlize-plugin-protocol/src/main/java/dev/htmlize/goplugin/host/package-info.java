/**
 * The host side of go-plugin's protocol: launches a plugin ({@link dev.htmlize.goplugin.host.PluginClient#start}),
 * or reattaches to a running one, checks its handshake, connects, forwards its logs and stdio, and ends it.
 */
package dev.htmlize.goplugin.host;
