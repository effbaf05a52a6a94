package dev.htmlize.plugin;

import dev.htmlize.goplugin.HandshakeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The constants of htmlize's plugin protocol, shared by the host and the SDKs. The handshake comes from
 * {@code handshake.properties} beside this class, which the Python SDK is generated from too.
 */
public final class HtmlizeProtocol {
  private static final Properties HANDSHAKE_PROPERTIES = handshakeProperties();
  /** The magic cookie: {@code HTMLIZE_PLUGIN=5f1d3c9a7e2b4c86}. */
  public static final HandshakeConfig HANDSHAKE = new HandshakeConfig(
      HANDSHAKE_PROPERTIES.getProperty("magicCookieKey"), HANDSHAKE_PROPERTIES.getProperty("magicCookieValue"));
  /** The app protocol version of {@code htmlize.v1.Htmlizer}. */
  public static final int PROTOCOL_VERSION = Integer.parseInt(HANDSHAKE_PROPERTIES.getProperty("protocolVersion"));
  /** The hook that asks for each page's whole body. */
  public static final String CONTENTS_HOOK = "contents";
  /** The prefix of a role hook, {@code role:NAME}. */
  public static final String ROLE_HOOK_PREFIX = "role:";
  /** The manifest attribute that marks a jar as an htmlize plugin; its value is {@code true}. */
  public static final String MANIFEST_MARKER = "Htmlize-Plugin";

  private static final Pattern ROLE_NAME = Pattern.compile("\\w+");

  private HtmlizeProtocol() {
  }

  private static Properties handshakeProperties() {
    Properties properties = new Properties();
    try (InputStream in = HtmlizeProtocol.class.getResourceAsStream("handshake.properties")) {
      if (in == null) {
        throw new IllegalStateException("handshake.properties is missing beside " + HtmlizeProtocol.class);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /** Whether a hook string is valid: {@code contents} or {@code role:NAME} with a name of word characters. */
  public static boolean isValidHook(String hook) {
    return hook.equals(CONTENTS_HOOK) || roleOf(hook).isPresent();
  }

  /** The role a {@code role:NAME} hook names. */
  public static Optional<String> roleOf(String hook) {
    if (!hook.startsWith(ROLE_HOOK_PREFIX)) {
      return Optional.empty();
    }
    String name = hook.substring(ROLE_HOOK_PREFIX.length());
    return ROLE_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }
}
