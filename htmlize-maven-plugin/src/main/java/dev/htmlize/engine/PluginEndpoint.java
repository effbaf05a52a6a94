package dev.htmlize.engine;

import dev.htmlize.engine.PluginManager.PluginCallException;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One started plugin as the {@link PluginManager} calls it: a process over gRPC ({@link GrpcPluginEndpoint}), or an
 * {@link dev.htmlize.plugin.Htmlizer} in this JVM ({@link DirectPluginEndpoint}). Failures name the plugin.
 */
interface PluginEndpoint extends AutoCloseable {
  /** The process id, for a plugin that runs as a process. */
  Optional<Long> pid();

  List<String> hooks() throws PluginCallException;

  /**
   * Configures the plugin and offers it the site.
   *
   * @param site every page of the site; may block until the engine has read them all
   */
  void configure(Map<String, String> properties, Supplier<List<Post>> site) throws PluginCallException;

  /**
   * @return one HTML string per occurrence, in order (the caller checks the count)
   * @throws PluginCallException with the occurrence, when the plugin said which one it failed on
   */
  List<String> processRoles(Post post, List<RoleOccurrence> roles) throws PluginCallException;

  String processContents(String html, Post post) throws PluginCallException;

  /** Stops the plugin. Idempotent. */
  @Override
  void close();
}
