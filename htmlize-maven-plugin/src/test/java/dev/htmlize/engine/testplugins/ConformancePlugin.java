package dev.htmlize.engine.testplugins;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleException;
import dev.htmlize.plugin.Site;
import java.util.List;
import java.util.Map;

/**
 * The conformance plugin with the Java SDK: the behaviour of {@code src/test/resources/conformance/PLUGIN.md}, which
 * the Python and the Go SDK's versions share byte for byte ({@code ConformanceTest}).
 */
public final class ConformancePlugin implements Htmlizer {
  private volatile String prefix = "";
  private volatile Site site = Site.unavailable();

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new ConformancePlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:kbd", "role:page", "role:fail", "contents");
  }

  @Override
  public void configure(Map<String, String> properties, Site site) {
    this.prefix = properties.getOrDefault("prefix", "");
    this.site = site;
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return switch (role) {
      case "kbd" -> value.isEmpty() ? "<kbd class=\"empty\"></kbd>" : "<kbd>" + Html.escape(prefix + value) + "</kbd>";
      case "page" -> site.page(value)
          .map(page -> "<a href=\"" + Html.escape(page.outputPath()) + "\">" + Html.escape(page.title()) + "</a>")
          .orElseThrow(() -> new RoleException("no page " + value));
      case "fail" -> throw new RoleException("refused: " + value);
      default -> throw new IllegalArgumentException("no role " + role);
    };
  }

  @Override
  public String processContents(String html, Post post) {
    return html + "<p class=\"by\">" + Html.escape(post.author()) + " · "
        + post.title().codePointCount(0, post.title().length()) + "</p>";
  }
}
