package dev.htmlize.engine;

import dev.htmlize.plugin.Post;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The site as templates see it: every published page in site order (front-matter {@code weight} ascending, pages
 * without one last, then {@code title}, then source path), the sections (one per top-level directory, and {@code ""}
 * for the root, the root first, then by their index pages' order) and the tags (by name). It is made once a build
 * from the site model; {@link #view(Post)} gives the page being rendered its own view of it, whose addresses are
 * relative to that page, so that a template's links work from any depth. Immutable, so thread-safe; the views are made
 * per page and compute addresses when a template asks for them.
 */
final class TemplateSite {
  private static final Comparator<Post> SITE_ORDER = Comparator
      .comparing((Post post) -> PageMetadata.weight(post).orElse(null),
          Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparing(Post::title)
      .thenComparing(Post::sourcePath);

  private final String title;
  private final String url;
  private final String feedPath;
  private final List<Post> pages;
  private final Map<String, List<Post>> sections;
  private final Map<String, Post> sectionIndexes;
  private final Map<String, List<Post>> tags;
  private final Map<String, Integer> positions = new HashMap<>();

  /**
   * @param feedPath the feed's path in the output directory, or {@code null} when the build writes none
   */
  TemplateSite(String title, String url, String feedPath, List<Post> published) {
    this.title = title;
    this.url = url;
    this.feedPath = feedPath;
    this.pages = published.stream().sorted(SITE_ORDER).toList();
    Map<String, List<Post>> bySection = new HashMap<>();
    Map<String, Post> indexes = new HashMap<>();
    Map<String, List<Post>> byTag = new TreeMap<>();
    for (Post page : pages) {
      String section = sectionOf(page);
      bySection.computeIfAbsent(section, s -> new ArrayList<>()).add(page);
      if (isIndex(page, section)) {
        indexes.put(section, page);
      }
      for (String tag : new java.util.LinkedHashSet<>(page.tags())) {
        byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(page);
      }
    }
    Map<String, List<Post>> ordered = new LinkedHashMap<>();
    bySection.keySet().stream().sorted(Comparator.comparing((String s) -> !s.isEmpty())
            .thenComparing(s -> indexes.get(s), Comparator.nullsLast(SITE_ORDER))
            .thenComparing(Comparator.naturalOrder()))
        .forEach(s -> ordered.put(s, List.copyOf(bySection.get(s))));
    this.sections = ordered;
    this.sectionIndexes = indexes;
    this.tags = byTag;
    for (List<Post> section : sections.values()) {
      for (int i = 0; i < section.size(); i++) {
        positions.put(section.get(i).sourcePath(), i);
      }
    }
  }

  /** A page's section: the top-level directory its source is in, or {@code ""} at the root. */
  static String sectionOf(Post post) {
    int slash = post.sourcePath().indexOf('/');
    return slash < 0 ? "" : post.sourcePath().substring(0, slash);
  }

  /** Whether the page is its section's index: {@code index.md} (any markup) directly in the section's directory. */
  private static boolean isIndex(Post page, String section) {
    String rest = section.isEmpty() ? page.sourcePath() : page.sourcePath().substring(section.length() + 1);
    return rest.startsWith("index.") && rest.indexOf('/') < 0;
  }

  /** The relative path from a page to the output directory: {@code ""} at the top, {@code ../} one level down. */
  static String root(Post page) {
    return "../".repeat((int) page.outputPath().chars().filter(c -> c == '/').count());
  }

  /**
   * A path as it goes into an address: the characters that would end or break it ({@code %}, {@code #}, {@code ?},
   * spaces, quotes, controls) percent-encoded, the rest as it is.
   */
  static String href(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (char c : path.toCharArray()) {
      if (c <= ' ' || c == 0x7f || "%#?\"<>\\^`{|}".indexOf(c) >= 0) {
        out.append(String.format("%%%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  List<Post> pages() {
    return pages;
  }

  /** The page being rendered's view of the site. */
  View view(Post current) {
    return new View(current, root(current));
  }

  /** The site from one page: {@code site} in its template, and its {@code prev} and {@code next}. */
  public final class View {
    private final Post current;
    private final String root;

    private View(Post current, String root) {
      this.current = current;
      this.root = root;
    }

    /** The site's title, or {@code null} when it has none. */
    public String title() {
      return title.isEmpty() ? null : title;
    }

    /** The root section's index page ({@code index.md}), or {@code null}. */
    public Link home() {
      Post index = sectionIndexes.get("");
      return index == null ? null : new Link(index);
    }

    /** The site's absolute address ending in {@code /}, or {@code null} when the build has none. */
    public String url() {
      return url.isEmpty() ? null : url;
    }

    /** The feed's address relative to this page, or {@code null} when there is no feed. */
    public String feedUrl() {
      return feedPath == null ? null : root + href(feedPath);
    }

    public List<Link> pages() {
      return links(TemplateSite.this.pages);
    }

    public List<Section> sections() {
      List<Section> list = new ArrayList<>(sections.size());
      sections.forEach((name, posts) -> list.add(new Section(name, posts)));
      return list;
    }

    public List<Tag> tags() {
      List<Tag> list = new ArrayList<>(tags.size());
      tags.forEach((name, posts) -> list.add(new Tag(name, posts)));
      return list;
    }

    /** The page before this one in its section, or {@code null}. */
    public Link prev() {
      return neighbour(-1);
    }

    /** The page after this one in its section, or {@code null}. */
    public Link next() {
      return neighbour(1);
    }

    private Link neighbour(int step) {
      Integer position = positions.get(current.sourcePath());
      List<Post> section = sections.get(sectionOf(current));
      if (position == null || section == null) {
        return null;
      }
      int i = position + step;
      return i >= 0 && i < section.size() ? new Link(section.get(i)) : null;
    }

    private List<Link> links(List<Post> posts) {
      List<Link> links = new ArrayList<>(posts.size());
      posts.forEach(post -> links.add(new Link(post)));
      return links;
    }

    /** A page as another page's template sees it. */
    public final class Link {
      private final Post post;

      private Link(Post post) {
        this.post = post;
      }

      public String title() {
        return post.title();
      }

      /** The page's address relative to the page being rendered. */
      public String url() {
        return root + href(post.outputPath());
      }

      public String sourcePath() {
        return post.sourcePath();
      }

      public String outputPath() {
        return post.outputPath();
      }

      public String author() {
        return post.author().isEmpty() ? null : post.author();
      }

      public String date() {
        return post.date().isEmpty() ? null : post.date();
      }

      public List<String> tags() {
        return post.tags();
      }

      public String section() {
        return sectionOf(post);
      }

      public String weight() {
        return PageMetadata.weight(post).map(BigDecimal::toPlainString).orElse(null);
      }

      public boolean current() {
        return post.sourcePath().equals(current.sourcePath());
      }

      /** Whether it is its section's index page ({@code index.md} of the section's directory). */
      public boolean sectionIndex() {
        return post == sectionIndexes.get(sectionOf(post));
      }

      public Map<String, String> metadata() {
        return post.metadata();
      }
    }

    /** A section of the site: the pages of a top-level directory, or of the root. */
    public final class Section {
      private final String name;
      private final List<Post> posts;

      private Section(String name, List<Post> posts) {
        this.name = name;
        this.posts = posts;
      }

      public String name() {
        return name;
      }

      /** Its index page's title, else its name. */
      public String title() {
        return Optional.ofNullable(sectionIndexes.get(name)).map(Post::title).orElse(name);
      }

      /** Its address relative to the page being rendered: its index page's, else its first page's. */
      public String url() {
        Post index = sectionIndexes.get(name);
        return new Link(index != null ? index : posts.get(0)).url();
      }

      /** Its index page, or {@code null}. */
      public Link index() {
        Post index = sectionIndexes.get(name);
        return index == null ? null : new Link(index);
      }

      public List<Link> pages() {
        return links(posts);
      }

      /** Whether the page being rendered is in it. */
      public boolean current() {
        return name.equals(sectionOf(current));
      }

      /** Whether it is the root section, {@code ""}. */
      public boolean rootSection() {
        return name.isEmpty();
      }
    }

    /** A tag, with its pages in site order. */
    public final class Tag {
      private final String name;
      private final List<Post> posts;

      private Tag(String name, List<Post> posts) {
        this.name = name;
        this.posts = posts;
      }

      public String name() {
        return name;
      }

      public List<Link> pages() {
        return links(posts);
      }
    }
  }
}
