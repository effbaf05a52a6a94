package dev.htmlize.maven;

import dev.htmlize.engine.PluginSpec;
import java.util.List;

/** Turns the build's plugin entries into plugins ready to launch. */
interface PluginResolver {
  /**
   * Resolves every entry.
   *
   * @throws PluginResolutionException naming every entry that could not be resolved, each with why
   */
  List<PluginSpec> resolve(List<PluginEntry> entries, List<org.apache.maven.model.Dependency> pluginDependencies)
      throws PluginResolutionException;

  /** One or more entries could not be resolved. */
  final class PluginResolutionException extends Exception {
    PluginResolutionException(String message) {
      super(message);
    }
  }
}
