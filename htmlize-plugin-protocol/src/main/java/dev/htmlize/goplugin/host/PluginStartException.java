package dev.htmlize.goplugin.host;

/** A plugin could not be launched, did not complete its handshake, or could not be reached. */
public final class PluginStartException extends Exception {
  public PluginStartException(String message) {
    super(message);
  }

  public PluginStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
