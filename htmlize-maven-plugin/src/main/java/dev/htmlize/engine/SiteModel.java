package dev.htmlize.engine;

import dev.htmlize.goplugin.Sha256;
import dev.htmlize.plugin.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site: every page's Post, read once per build before any plugin is configured, from the last build's record for
 * a page that is up to date and from its source for a stale one. It is what plugins see through the Site service; a
 * long-lived process updates it page by page. The stale pages parsed to read it keep their documents for rendering,
 * as far as the plan kept their bytes; the others are parsed again at their turn. Thread-safe.
 */
final class SiteModel {
  private final Map<String, Post> posts = new TreeMap<>();
  private final Map<String, ParsedPage> parsed = new ConcurrentHashMap<>();

  private SiteModel() {
  }

  /**
   * Reads the site: the stale pages are parsed on up to {@code threads} threads; a page that fails is a problem, and
   * not in the site.
   */
  static SiteModel read(IncrementalPlan plan, SourceReader reader, int threads, Problems problems)
      throws InterruptedException {
    SiteModel site = new SiteModel();
    List<IncrementalPlan.Page> stale = new ArrayList<>();
    for (IncrementalPlan.Page page : plan.pages()) {
      if (page.stale()) {
        stale.add(page);
      } else {
        site.posts.put(page.source(), page.previous().post());
      }
    }
    List<Optional<ParsedPage>> read = Parallel.map(stale, threads, "htmlize-read",
        page -> reader.parse(page.source(), page.output(), page.bytes()), (page, failure) -> {
          problems.add(new Problem(page.source(), 0, "internal error: " + failure));
          return Optional.empty();
        });
    for (int i = 0; i < stale.size(); i++) {
      IncrementalPlan.Page page = stale.get(i);
      read.get(i).ifPresent(p -> {
        site.posts.put(p.source(), p.post());
        if (page.bytes() != null) {
          site.parsed.put(p.source(), p);
        }
      });
    }
    return site;
  }

  /** Whether the page is in the site: it is up to date, or it was read and parsed. */
  synchronized boolean has(String source) {
    return posts.containsKey(source);
  }

  /** Every page's Post, in source order. */
  synchronized List<Post> posts() {
    return List.copyOf(posts.values());
  }

  /** A page's Post. */
  synchronized Optional<Post> post(String source) {
    return Optional.ofNullable(posts.get(source));
  }

  /**
   * A digest of every page's metadata: when it changes, pages rendered by plugins may change (plugins see the site).
   * A change to a page's body alone does not change it.
   */
  synchronized String digest() {
    StringBuilder text = new StringBuilder();
    for (Post post : posts.values()) {
      text.append(post.id()).append('\0').append(post.author()).append('\0').append(post.title()).append('\0')
          .append(post.sourcePath()).append('\0').append(post.outputPath()).append('\0').append(post.date())
          .append('\0').append(post.tags()).append('\0').append(new TreeMap<>(post.metadata())).append('\n');
    }
    return Sha256.hex(text.toString());
  }

  /** The page as parsed when the site was read, once: its document is then the caller's, and released here. */
  Optional<ParsedPage> take(String source) {
    return Optional.ofNullable(parsed.remove(source));
  }

  /** A page read again (changed, or new). */
  synchronized void update(Post post) {
    posts.put(post.sourcePath(), post);
  }

  /** A page gone. */
  synchronized void remove(String source) {
    posts.remove(source);
    parsed.remove(source);
  }
}
