package dev.htmlize.engine;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What went wrong with a plugin: which one (and its process), what kind of failure, what it said, and, when it named
 * one, the role occurrence it failed on. Kept as parts until it becomes a {@link Problem}, which is where it is
 * worded, once.
 *
 * @param plugin     the plugin's name
 * @param pid        its process, when it runs as one and is known
 * @param kind       what failed
 * @param detail     what the plugin or its connection said, without the plugin's name
 * @param occurrence the role occurrence to blame, if the plugin said which
 */
record PluginFailure(String plugin, OptionalLong pid, Kind kind, String detail, Optional<RoleOccurrence> occurrence) {
  /** What failed. */
  enum Kind {
    /** The plugin could not be launched, or did not complete its handshake. */
    START,
    /** It declared a hook that is not {@code contents} or {@code role:NAME}. */
    INVALID_HOOK,
    /** A call failed: the plugin answered with an error, or its connection broke. */
    CALL,
    /** A call took longer than the call timeout; the plugin was stopped. */
    TIMEOUT,
    /** The plugin answered something the protocol does not allow (a wrong count, say); the detail is a predicate. */
    WRONG_ANSWER,
    /** Its answer did not fit in the build's memory. */
    OUT_OF_MEMORY
  }

  PluginFailure {
    Objects.requireNonNull(plugin);
    Objects.requireNonNull(pid);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(detail);
    Objects.requireNonNull(occurrence);
  }

  PluginFailure(String plugin, OptionalLong pid, Kind kind, String detail) {
    this(plugin, pid, kind, detail, Optional.empty());
  }

  /** The same failure, blamed on an occurrence. */
  PluginFailure at(RoleOccurrence role) {
    return new PluginFailure(plugin, pid, kind, detail, Optional.of(role));
  }

  /**
   * {@code plugin NAME (pid N): DETAIL}; a wrong answer reads as a sentence about the plugin,
   * {@code plugin NAME answered …}.
   */
  String describe() {
    if (kind == Kind.WRONG_ANSWER) {
      return "plugin " + plugin + " " + detail;
    }
    return "plugin " + plugin + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "") + ": " + detail;
  }

  /** The problem of a page: at the occurrence to blame, else at the given line. */
  Problem onPage(String source, int line) {
    return new Problem(source, occurrence.map(RoleOccurrence::line).orElse(line), describe());
  }

  /** The problem of the plugin itself, before any page. */
  Problem ofPlugin() {
    return new Problem("plugin " + plugin, 0, detail);
  }
}
