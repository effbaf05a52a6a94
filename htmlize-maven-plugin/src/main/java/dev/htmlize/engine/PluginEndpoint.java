package dev.htmlize.engine;

import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One started plugin as the {@link PluginManager} calls it: a process over gRPC ({@link GrpcPluginEndpoint}), or an
 * {@link dev.htmlize.plugin.Htmlizer} in this JVM ({@link DirectPluginEndpoint}). Failures name the plugin.
 */
interface PluginEndpoint extends AutoCloseable {
  /** The process id, for a plugin that runs as a process. */
  OptionalLong pid();

  /** Whether the plugin is still there to call (a process that exited is not). */
  default boolean alive() {
    return true;
  }

  List<String> hooks() throws PluginCallException;

  /**
   * From now on the plugin serves a render of this request (its call timeout applies): a process kept for the next
   * module of a build does (see {@link PluginPool}).
   */
  default void rebind(RenderRequest request) {
  }

  /**
   * Configures the plugin and offers it the site.
   *
   * @param site every page of the site, as it is when the plugin asks
   */
  void configure(Map<String, String> properties, Supplier<List<Post>> site) throws PluginCallException;

  /**
   * Renders the roles of several pages, in as few calls as the plugin allows.
   *
   * @return one answer per page, in order: its HTML strings, one per occurrence in order (the caller checks the
   *         count), or the page's failure, with the occurrence when the plugin said which one it failed on
   */
  List<Answer<List<String>>> processRoles(List<RolesCall> pages);

  /** Transforms the bodies of several pages, in as few calls as the plugin allows; one answer per page, in order. */
  List<Answer<String>> processContents(List<ContentsCall> pages);

  /** One page's roles for a plugin. */
  record RolesCall(Post post, List<RoleOccurrence> roles) {
  }

  /** One page's body for a contents plugin. */
  record ContentsCall(Post post, String html) {
  }

  /** A page's answer from a plugin, or why there is none. */
  record Answer<T>(T value, PluginCallException failure) {
    static <T> Answer<T> of(T value) {
      return new Answer<>(value, null);
    }

    static <T> Answer<T> failed(PluginCallException failure) {
      return new Answer<>(null, failure);
    }

    boolean ok() {
      return failure == null;
    }
  }

  /** Stops the plugin. Idempotent. */
  @Override
  void close();
}
