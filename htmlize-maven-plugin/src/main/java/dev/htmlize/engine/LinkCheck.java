package dev.htmlize.engine;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The check that links inside the site lead somewhere: every {@code href} and {@code src} of the pages rendered in
 * this build that is relative (or starts with the site's address) and stays inside the output directory must name a
 * file there (a page, an asset, a file the build writes; a directory's {@code index.html}), and its {@code #fragment}
 * an {@code id} (or an {@code <a name>}) of the page it leads to. External links are not fetched. Pages are parsed
 * with jsoup as they are rendered; a page linked to that was not rendered in this build is read from its file, so a
 * build that renders nothing checks nothing. Thread-safe while pages are added.
 */
final class LinkCheck {
  private final RenderRequest request;
  private final Map<String, Links> rendered = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> idsOnDisk = new HashMap<>();
  /** What each target is on disk, looked at once per check: 'f' a file, 'd' a directory, 'n' nothing. */
  private final Map<String, Character> kinds = new HashMap<>();
  /** Each link, as written on a page of one directory, resolved once per check. */
  private final Map<String, Boolean> checked = new HashMap<>();
  /** The outputs of every source of the site: one whose page failed in this build is its own problem, not a link's. */
  private Set<String> pages = Set.of();

  /** A rendered page's links, and the ids it has. */
  private record Links(String source, List<String> links, Set<String> ids) {
  }

  LinkCheck(RenderRequest request) {
    this.request = request;
  }

  /** Reads a rendered page's links and ids. */
  void add(String source, String outputPath, String html) {
    Document document = Jsoup.parse(html);
    List<String> links = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    // One walk over the elements for the links and the ids (three selectors would walk the page three times).
    for (Element element : document.getAllElements()) {
      if (element.hasAttr("href")) {
        links.add(element.attr("href"));
      }
      if (element.hasAttr("src")) {
        links.add(element.attr("src"));
      }
      addIds(element, ids);
    }
    rendered.put(outputPath, new Links(source, links, ids));
  }

  private static Set<String> ids(Document document) {
    Set<String> ids = new HashSet<>();
    for (Element element : document.getAllElements()) {
      addIds(element, ids);
    }
    return ids;
  }

  /** The element's {@code id}, and the {@code name} of an {@code <a>}: what a {@code #fragment} can lead to. */
  private static void addIds(Element element, Set<String> ids) {
    if (element.hasAttr("id")) {
      ids.add(element.id());
    }
    if (element.nameIs("a") && element.hasAttr("name")) {
      ids.add(element.attr("name"));
    }
  }

  /**
   * Checks the links of the pages added: each broken one is a warning {@code source:line: broken link to TARGET}
   * (at the first line of the source that has the link as written), or a problem with {@code failOnBrokenLinks}.
   *
   * @param pages the output paths of every source of the site (a link to one whose page failed is not broken)
   */
  void check(Set<String> pages, EngineLog log, Problems problems) {
    this.pages = pages;
    int broken = 0;
    for (Map.Entry<String, Links> page : new java.util.TreeMap<>(rendered).entrySet()) {
      String from = page.getKey();
      String directory = from.substring(0, from.lastIndexOf('/') + 1);
      for (String link : new java.util.LinkedHashSet<>(page.getValue().links())) {
        // A link to the page itself (#part, "") depends on the page; any other, only on its directory.
        String key = link.isEmpty() || link.startsWith("#") || link.startsWith("?") ? from + "\0" + link
            : directory + "\0" + link;
        if (!checked.computeIfAbsent(key, k -> leadsSomewhere(from, link))) {
          broken++;
          Problem problem = new Problem(page.getValue().source(), lineOf(page.getValue().source(), link),
              "broken link to " + link);
          if (request.failOnBrokenLinks()) {
            problems.add(problem);
          } else {
            log.warn(problem.toString());
          }
        }
      }
    }
    if (broken > 0 && !request.failOnBrokenLinks()) {
      log.warn("htmlize: " + broken + (broken == 1 ? " broken link" : " broken links")
          + " (failOnBrokenLinks makes them fail the build)");
    }
  }

  /** Whether a link from a page leads to something in the site; a link out of the site is not checked. */
  private boolean leadsSomewhere(String from, String link) {
    String value = link.strip();
    if (!request.siteUrl().isEmpty() && value.startsWith(request.siteUrl())) {
      value = value.substring(request.siteUrl().length());
      from = "index.html";
    } else if (value.isEmpty() || value.startsWith("/") || value.startsWith("\\")
        || value.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return true;
    }
    int hash = value.indexOf('#');
    String fragment = hash < 0 ? null : value.substring(hash + 1);
    String path = hash < 0 ? value : value.substring(0, hash);
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    String target;
    try {
      target = path.isEmpty() ? from : resolve(from, URLDecoder.decode(path.replace("+", "%2B"),
          StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (target == null) {
      return true;
    }
    if (kind(target) == 'd') {
      target = target.isEmpty() ? "index.html" : target + "/index.html";
    }
    if (kind(target) != 'f') {
      return pages.contains(target);
    }
    if (fragment == null || fragment.isEmpty() || fragment.equalsIgnoreCase("top")
        || !(target.endsWith(".html") || target.endsWith(".htm"))) {
      return true;
    }
    String id = URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    return idsOf(target).contains(id) || idsOf(target).contains(fragment);
  }

  private char kind(String target) {
    return kinds.computeIfAbsent(target, t -> {
      Path file = request.outputDirectory().resolve(t);
      return Files.isRegularFile(file) ? 'f' : Files.isDirectory(file) ? 'd' : 'n';
    });
  }

  /**
   * The output path a relative path leads to from a page, {@code ""} for the output directory itself, or
   * {@code null} when it leads out of it.
   */
  private static String resolve(String from, String path) {
    Deque<String> parts = new ArrayDeque<>();
    int slash = from.lastIndexOf('/');
    if (slash > 0) {
      for (String part : from.substring(0, slash).split("/")) {
        parts.addLast(part);
      }
    }
    for (String part : path.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  private Set<String> idsOf(String target) {
    Links links = rendered.get(target);
    if (links != null) {
      return links.ids();
    }
    return idsOnDisk.computeIfAbsent(target, t -> {
      try {
        return ids(Jsoup.parse(request.outputDirectory().resolve(t).toFile(), "UTF-8"));
      } catch (IOException e) {
        return Set.of();
      }
    });
  }

  /** The first line of the source that has the link as written, or 0 (a link the layout or a plugin wrote). */
  private int lineOf(String source, String link) {
    try {
      List<String> lines = SourceText.decode(Files.readAllBytes(request.sourceDirectory().resolve(source)),
          request.encoding()).lines().toList();
      for (String needle : List.of(link, link.replace("&", "&amp;"))) {
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).contains(needle)) {
            return i + 1;
          }
        }
      }
    } catch (IOException | SourceLineException | RuntimeException e) {
      // No line to give.
    }
    return 0;
  }
}
