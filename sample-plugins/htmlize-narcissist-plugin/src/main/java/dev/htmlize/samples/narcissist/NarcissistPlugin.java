package dev.htmlize.samples.narcissist;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The article's contents plugin: every standalone {@code I} in a page becomes {@code <b>I (Author)</b>}, naming the
 * post's author. "Standalone" is a word boundary on both sides, as in the article ({@code Iby} stays as it is).
 */
public final class NarcissistPlugin implements Htmlizer {
  private static final Pattern STANDALONE_I = Pattern.compile("\\bI\\b");

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new NarcissistPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("contents");
  }

  @Override
  public String processContents(String html, Post post) {
    return STANDALONE_I.matcher(html)
        .replaceAll(Matcher.quoteReplacement("<b>I (" + Html.escape(post.author()) + ")</b>"));
  }
}
