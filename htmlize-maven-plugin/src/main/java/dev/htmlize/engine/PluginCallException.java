package dev.htmlize.engine;

import java.util.Objects;

/** A plugin call failed; {@link #failure()} says how, in parts. */
final class PluginCallException extends Exception {
  private final transient PluginFailure failure;

  PluginCallException(PluginFailure failure, Throwable cause) {
    super(failure.describe(), cause);
    this.failure = Objects.requireNonNull(failure);
  }

  PluginFailure failure() {
    return failure;
  }
}
