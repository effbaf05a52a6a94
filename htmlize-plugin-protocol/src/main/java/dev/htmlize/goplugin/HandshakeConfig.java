package dev.htmlize.goplugin;

import java.util.Objects;

/**
 * What a host and its plugins must agree on before they talk: go-plugin's {@code HandshakeConfig} without the
 * protocol version, which is negotiated separately (see {@link GoPluginEnv#PROTOCOL_VERSIONS}).
 *
 * <p>The magic cookie is a usability guard, not a security measure: it stops a user from running a plugin binary
 * by hand and keeps a host from starting a program that is not one of its plugins.
 *
 * @param magicCookieKey   the environment variable the host sets, for example {@code HTMLIZE_PLUGIN}
 * @param magicCookieValue the value it must have
 */
public record HandshakeConfig(String magicCookieKey, String magicCookieValue) {
  public HandshakeConfig {
    Objects.requireNonNull(magicCookieKey, "magicCookieKey");
    Objects.requireNonNull(magicCookieValue, "magicCookieValue");
  }
}
