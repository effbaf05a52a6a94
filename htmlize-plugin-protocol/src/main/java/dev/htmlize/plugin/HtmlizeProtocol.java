package dev.htmlize.plugin;

import dev.htmlize.goplugin.HandshakeConfig;
import java.util.Optional;
import java.util.regex.Pattern;

/** The constants of htmlize's plugin protocol, shared by the host and the SDK. */
public final class HtmlizeProtocol {
  /** The magic cookie: {@code HTMLIZE_PLUGIN=5f1d3c9a7e2b4c86}. */
  public static final HandshakeConfig HANDSHAKE = new HandshakeConfig("HTMLIZE_PLUGIN", "5f1d3c9a7e2b4c86");
  /** The app protocol version of {@code htmlize.v1.Htmlizer}. */
  public static final int PROTOCOL_VERSION = 1;
  /** go-plugin's name of the logical plugin; it never goes on the wire. */
  public static final String PLUGIN_NAME = "htmlize";
  /** The hook that asks for each page's whole body. */
  public static final String CONTENTS_HOOK = "contents";
  /** The prefix of a role hook, {@code role:NAME}. */
  public static final String ROLE_HOOK_PREFIX = "role:";
  /** The manifest attribute that marks a jar as an htmlize plugin; its value is {@code true}. */
  public static final String MANIFEST_MARKER = "Htmlize-Plugin";

  private static final Pattern ROLE_NAME = Pattern.compile("\\w+");

  private HtmlizeProtocol() {
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
