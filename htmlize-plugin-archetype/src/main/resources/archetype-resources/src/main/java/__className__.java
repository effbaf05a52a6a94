package ${package};

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleException;
import java.util.List;
import java.util.Map;

/**
 * The htmlize plugin ${artifactId}: {@code :${role}:`text`} becomes {@code <span class="${role}">text</span>}, the
 * text HTML-escaped. The property {@code class} sets another class attribute.
 *
 * <p>The build calls it from several threads at once: keep it thread-safe.
 */
public final class ${className} implements Htmlizer {
  private volatile String cssClass = "${role}";

  /** Serves the plugin: the build starts this jar's main class as a process and talks to it over gRPC. */
  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new ${className}());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:${role}");
  }

  /** Called before any page of each render the process serves, with the plugin's {@code <properties>} from the POM. */
  @Override
  public void configure(Map<String, String> properties) {
    cssClass = properties.getOrDefault("class", "${role}");
  }

  @Override
  public String processRole(String role, String value, Post post) {
    if (value.isBlank()) {
      // A value the page's author must fix: the build fails, naming the page and the role's line.
      throw new RoleException("an empty :${role}: role");
    }
    return "<span class=\"" + Html.escape(cssClass) + "\">" + Html.escape(value) + "</span>";
  }
}
