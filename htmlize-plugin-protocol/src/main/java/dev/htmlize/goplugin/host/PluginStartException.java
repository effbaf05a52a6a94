package dev.htmlize.goplugin.host;

import java.util.Objects;

/** A plugin could not be launched, did not complete its handshake, or could not be reached. */
public final class PluginStartException extends Exception {
  /** What kind of failure, for a host that words its own advice; most failures are {@link #OTHER}. */
  public enum Kind {
    /** The plugin listens on plaintext TCP, which the host's configuration does not allow. */
    PLAINTEXT_TCP,
    /** The plugin sent a certificate though AutoMTLS was off, or none though it was on. */
    AUTO_MTLS_MISMATCH,
    /** Anything else; the message says what. */
    OTHER
  }

  private final Kind kind;

  public PluginStartException(String message) {
    this(Kind.OTHER, message, null);
  }

  public PluginStartException(String message, Throwable cause) {
    this(Kind.OTHER, message, cause);
  }

  public PluginStartException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind);
  }

  public Kind kind() {
    return kind;
  }
}
