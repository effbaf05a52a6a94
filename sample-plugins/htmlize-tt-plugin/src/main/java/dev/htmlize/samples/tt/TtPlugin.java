package dev.htmlize.samples.tt;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The article's sample plugin: {@code :tt:`text`} becomes {@code <tt>text</tt>}, the text HTML-escaped. HTML5 calls
 * {@code tt} obsolete, so the property {@code element} names another: {@code code}, {@code kbd}, {@code samp} or
 * {@code var} (default {@code tt}, the article's output byte for byte).
 */
public final class TtPlugin implements Htmlizer {
  private static final Set<String> ELEMENTS = Set.of("tt", "code", "kbd", "samp", "var");

  private volatile String element = "tt";

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new TtPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:tt");
  }

  @Override
  public void configure(Map<String, String> properties) {
    String chosen = properties.getOrDefault("element", "tt").strip();
    if (!ELEMENTS.contains(chosen)) {
      throw new IllegalArgumentException("element must be one of tt, code, kbd, samp, var, not \"" + chosen + "\"");
    }
    element = chosen;
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return "<" + element + ">" + Html.escape(value) + "</" + element + ">";
  }
}
