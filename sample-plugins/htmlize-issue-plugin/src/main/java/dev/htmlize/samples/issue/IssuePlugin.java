package dev.htmlize.samples.issue;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code :issue:`42`} becomes a link to issue 42 of the tracker named by the {@code baseUrl} property (for example
 * {@code https://github.com/owner/repo/issues/}); the link text is {@code #42}, or the {@code prefix} property
 * followed by the number. An issue reference that is not a number is an error naming it.
 */
public final class IssuePlugin implements Htmlizer {
  private static final Pattern NUMBER = Pattern.compile("[0-9]+");

  private volatile String baseUrl;
  private volatile String prefix = "#";

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new IssuePlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:issue");
  }

  @Override
  public void configure(Map<String, String> properties) {
    String base = properties.get("baseUrl");
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException("the issue plugin needs a baseUrl property, the address that issue numbers "
          + "are appended to (for example https://github.com/owner/repo/issues/)");
    }
    baseUrl = base.strip();
    prefix = properties.getOrDefault("prefix", "#");
  }

  @Override
  public String processRole(String role, String value, Post post) {
    if (baseUrl == null) {
      throw new IllegalStateException("the issue plugin was not configured with a baseUrl property");
    }
    String number = value.strip();
    if (!NUMBER.matcher(number).matches()) {
      throw new IllegalArgumentException("not an issue number: \"" + value + "\"");
    }
    return "<a class=\"issue\" href=\"" + Html.escape(baseUrl + number) + "\">" + Html.escape(prefix + number)
        + "</a>";
  }
}
