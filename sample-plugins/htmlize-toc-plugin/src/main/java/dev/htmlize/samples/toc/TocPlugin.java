package dev.htmlize.samples.toc;

import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a {@code <!-- toc -->} marker in a page with a table of contents: a nested list of links to the page's
 * headings that have an {@code id} (htmlize's Markdown gives every heading one), each deeper list inside the item
 * of the heading above it. The {@code levels} property picks
 * the heading levels, as {@code FROM-TO} (default {@code 2-3}). A page without the marker is left as it is.
 */
public final class TocPlugin implements Htmlizer {
  private static final String MARKER = "<!-- toc -->";
  private static final Pattern HEADING = Pattern.compile("<h([1-6]) id=\"([^\"]*)\">(.*?)</h\\1>", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern LEVELS = Pattern.compile("([1-6])-([1-6])");

  private volatile int from = 2;
  private volatile int to = 3;

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new TocPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("contents");
  }

  @Override
  public void configure(Map<String, String> properties) {
    String levels = properties.getOrDefault("levels", "2-3").strip();
    Matcher matcher = LEVELS.matcher(levels);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) > Integer.parseInt(matcher.group(2))) {
      throw new IllegalArgumentException("levels must be FROM-TO with 1 <= FROM <= TO <= 6, not \"" + levels + "\"");
    }
    from = Integer.parseInt(matcher.group(1));
    to = Integer.parseInt(matcher.group(2));
  }

  @Override
  public String processContents(String html, Post post) {
    int marker = html.indexOf(MARKER);
    if (marker < 0) {
      return html;
    }
    StringBuilder toc = new StringBuilder("<nav class=\"toc\">\n");
    // A deeper heading's list goes inside the item of the heading above it, as HTML wants: each <li> stays open
    // until the next heading at its depth or above.
    int depth = 0;
    int base = from;
    boolean itemOpen = false;
    Matcher heading = HEADING.matcher(html);
    while (heading.find()) {
      int level = Integer.parseInt(heading.group(1));
      if (level < from || level > to) {
        continue;
      }
      if (depth == 0) {
        toc.append("<ul>\n");
        depth = 1;
        base = level;
      } else {
        int target = Math.max(1, level - base + 1);
        if (target > depth) {
          while (depth < target) {
            toc.append(itemOpen ? "\n" : "<li>\n").append("<ul>\n");
            depth++;
            itemOpen = false;
          }
        } else {
          toc.append("</li>\n");
          while (depth > target) {
            toc.append("</ul>\n</li>\n");
            depth--;
          }
        }
      }
      String text = TAG.matcher(heading.group(3)).replaceAll("");
      toc.append("<li><a href=\"#").append(heading.group(2)).append("\">").append(text).append("</a>");
      itemOpen = true;
    }
    if (depth > 0) {
      toc.append("</li>\n");
      while (depth > 1) {
        toc.append("</ul>\n</li>\n");
        depth--;
      }
      toc.append("</ul>\n");
    }
    toc.append("</nav>");
    return html.substring(0, marker) + toc + html.substring(marker + MARKER.length());
  }
}
