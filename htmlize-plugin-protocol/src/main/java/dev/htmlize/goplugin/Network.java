package dev.htmlize.goplugin;

import java.util.Locale;

/** The networks a plugin can listen on, spelled as in the handshake line. */
public enum Network {
  UNIX("unix"),
  TCP("tcp");

  private final String wireName;

  Network(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the handshake line and in reattach configurations. */
  public String wireName() {
    return wireName;
  }

  /** The network of this name, or {@code null} if there is none. */
  public static Network fromWireName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "unix" -> UNIX;
      case "tcp" -> TCP;
      default -> null;
    };
  }
}
