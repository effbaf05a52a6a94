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
  private final boolean withDrafts;

  private SiteModel(boolean withDrafts) {
    this.withDrafts = withDrafts;
  }

  /**
   * Reads the site: the stale pages are parsed on up to {@code threads} threads; a page that fails is a problem, and
   * not in the site.
   *
   * @param withDrafts whether drafts are in the site (else they are known, but left out of it)
   */
  static SiteModel read(IncrementalPlan plan, SourceReader reader, int threads, boolean withDrafts,
                        Problems problems) throws InterruptedException {
    SiteModel site = new SiteModel(withDrafts);
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

  /** Whether the page is known: it is up to date, or it was read and parsed (a draft too). */
  synchronized boolean has(String source) {
    return posts.containsKey(source);
  }

  /** Whether the page is a draft left out of the site. */
  synchronized boolean leftOut(String source) {
    Post post = posts.get(source);
    return post != null && !withDrafts && PageMetadata.draft(post);
  }

  /** Every page's Post in the site (drafts left out unless they are rendered), in source order. */
  synchronized List<Post> posts() {
    return posts.values().stream().filter(post -> withDrafts || !PageMetadata.draft(post)).toList();
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
    for (Post post : posts()) {
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
