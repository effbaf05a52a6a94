package dev.htmlize.goplugin.serve;

/** The plugin cannot serve: wrong cookie, bad environment, no listener. Its message is meant for a person. */
public final class PluginServeException extends Exception {
  public PluginServeException(String message) {
    super(message);
  }

  public PluginServeException(String message, Throwable cause) {
    super(message, cause);
  }
}
