/**
 * The plugin side of go-plugin's protocol: what a plugin's {@code main} calls. {@link
 * dev.htmlize.goplugin.serve.Serve#serve} checks the magic cookie, negotiates the version, listens, registers the
 * health, controller, stdio and broker services beside the application's, prints the handshake line, and serves
 * until the host says {@code Shutdown} or dies.
 */
package dev.htmlize.goplugin.serve;
