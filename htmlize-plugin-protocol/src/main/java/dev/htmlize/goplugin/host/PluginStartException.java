package dev.htmlize.goplugin.host;

import java.util.Objects;

/**
 * A plugin could not be launched, did not complete its handshake, or could not be reached. Its message is
 * {@code plugin NAME: DETAIL}; a host that words its own report takes the parts.
 */
public final class PluginStartException extends Exception {
  /** What kind of failure, for a host that words its own advice; most failures are {@link #OTHER}. */
  public enum Kind {
    /** The plugin listens on plaintext TCP, which the host's configuration does not allow. */
    PLAINTEXT_TCP,
    /** The plugin sent a certificate though AutoMTLS was off, or none though it was on. */
    AUTO_MTLS_MISMATCH,
    /** Anything else; the detail says what. */
    OTHER
  }

  private final String plugin;
  private final Kind kind;
  private final String detail;

  public PluginStartException(String plugin, String detail) {
    this(plugin, Kind.OTHER, detail, null);
  }

  public PluginStartException(String plugin, String detail, Throwable cause) {
    this(plugin, Kind.OTHER, detail, cause);
  }

  /**
   * @param plugin the plugin's name
   * @param detail what went wrong and what to do, as a sentence that follows the plugin's name
   */
  public PluginStartException(String plugin, Kind kind, String detail, Throwable cause) {
    super("plugin " + plugin + ": " + detail, cause);
    this.plugin = Objects.requireNonNull(plugin);
    this.kind = Objects.requireNonNull(kind);
    this.detail = Objects.requireNonNull(detail);
  }

  /** The plugin's name. */
  public String plugin() {
    return plugin;
  }

  public Kind kind() {
    return kind;
  }

  /** What went wrong, without the plugin's name. */
  public String detail() {
    return detail;
  }
}
