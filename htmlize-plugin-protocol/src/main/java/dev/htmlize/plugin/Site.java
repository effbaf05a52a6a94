package dev.htmlize.plugin;

import java.util.List;
import java.util.Optional;

/**
 * The whole site being built, as the host offers it to plugins (the {@code htmlize.v1.Site} service, reached through
 * go-plugin's broker): every page's metadata, known before the first page renders. Given to
 * {@link Htmlizer#configure(java.util.Map, Site)}; usable from any thread until the plugin ends. Each call is a
 * round trip to the host, so a plugin that looks up many pages may keep what it gets: the site does not change
 * during a build.
 */
public interface Site {
  /** Every page, ordered by source path. */
  List<Post> pages();

  /** The page of a source path, relative to the source directory and {@code /}-separated (e.g. {@code docs/a.md}). */
  Optional<Post> page(String sourcePath);

  /** The page with this {@linkplain Post#id() id}. */
  Optional<Post> page(long id);

  /** The site of a host that offers none: every call fails, saying so. */
  static Site unavailable() {
    return new Site() {
      @Override
      public List<Post> pages() {
        throw fail();
      }

      @Override
      public Optional<Post> page(String sourcePath) {
        throw fail();
      }

      @Override
      public Optional<Post> page(long id) {
        throw fail();
      }

      private IllegalStateException fail() {
        return new IllegalStateException("the host offers no htmlize.v1.Site service (ConfigureRequest "
            + "site_broker_id is 0)");
      }
    };
  }
}
