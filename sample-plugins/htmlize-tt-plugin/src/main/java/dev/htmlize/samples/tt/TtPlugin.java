package dev.htmlize.samples.tt;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;

/** The article's sample plugin: {@code :tt:`text`} becomes {@code <tt>text</tt>}, the text HTML-escaped. */
public final class TtPlugin implements Htmlizer {
  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new TtPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:tt");
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return "<tt>" + Html.escape(value) + "</tt>";
  }
}
