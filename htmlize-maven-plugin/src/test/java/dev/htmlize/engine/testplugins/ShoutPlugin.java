package dev.htmlize.engine.testplugins;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import java.util.List;
import java.util.Locale;

/**
 * A test plugin that also claims {@code :tt:} and {@code :batch:}: {@code tt} values are shouted, and each
 * {@code batch} occurrence says how many roles came in its {@code ProcessRoles} call.
 */
public final class ShoutPlugin implements Htmlizer {
  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new ShoutPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:tt", "role:batch", "role:fail");
  }

  @Override
  public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    return roles.stream().map(role -> switch (role.role()) {
      case "tt" -> "<b>" + Html.escape(role.value().toUpperCase(Locale.ROOT)) + "</b>";
      case "fail" -> throw new IllegalArgumentException("cannot render " + role.value());
      default -> "<i>batch of " + roles.size() + "</i>";
    }).toList();
  }
}
