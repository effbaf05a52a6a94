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
 * {@code batch} occurrence says how many roles came in its {@code ProcessRoles} call. {@code :fail:} answers with an
 * error, {@code :crash:`N`} exits with status N, {@code :hang:} never answers, and {@code :env:`NAME`} shows an
 * environment variable (or {@code absent}).
 */
public final class ShoutPlugin implements Htmlizer {
  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new ShoutPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:tt", "role:batch", "role:fail", "role:crash", "role:hang", "role:env");
  }

  @Override
  public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    return roles.stream().map(role -> switch (role.role()) {
      case "tt" -> "<b>" + Html.escape(role.value().toUpperCase(Locale.ROOT)) + "</b>";
      case "fail" -> throw new IllegalArgumentException("cannot render " + role.value());
      case "crash" -> {
        System.err.println("shout: crashing as asked");
        System.err.flush();
        Runtime.getRuntime().halt(Integer.parseInt(role.value()));
        yield "";
      }
      case "hang" -> {
        System.err.println("shout: hanging as asked");
        System.err.flush();
        try {
          Thread.currentThread().join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        yield "";
      }
      case "env" -> Html.escape(System.getenv().getOrDefault(role.value(), "absent"));
      default -> "<i>batch of " + roles.size() + "</i>";
    }).toList();
  }
}
