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
 * error, {@code :refuse:} is refused at its occurrence (a RoleException), {@code :crash:`N`} exits with status N, {@code :hang:} never answers, and {@code :env:`NAME`} shows an
 * environment variable (or {@code absent}), {@code :huge:`N`} answers N megabytes. With the property {@code crashOnCall=N}, the plugin exits with status 3
 * on its Nth {@code ProcessRoles} call, whatever the page. Crashes are logged first, with the time, through
 * {@code java.util.logging} (which a plugin's runtime writes to its stderr at once, as a Go plugin's panic is).
 */
public final class ShoutPlugin implements Htmlizer {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("shout");
  private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int crashOnCall;

  @Override
  public void configure(java.util.Map<String, String> properties) {
    crashOnCall = Integer.parseInt(properties.getOrDefault("crashOnCall", "0"));
  }

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new ShoutPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:tt", "role:batch", "role:fail", "role:refuse", "role:crash", "role:hang", "role:env",
        "role:huge");
  }

  @Override
  public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    int call = calls.incrementAndGet();
    if (call == crashOnCall) {
      LOG.severe("crashing on call " + call + " at " + System.currentTimeMillis());
      Runtime.getRuntime().halt(3);
    }
    return roles.stream().map(role -> switch (role.role()) {
      case "tt" -> "<b>" + Html.escape(role.value().toUpperCase(Locale.ROOT)) + "</b>";
      case "fail" -> throw new IllegalArgumentException("cannot render " + role.value());
      case "refuse" -> throw new dev.htmlize.plugin.RoleException(role, "refused " + role.value());
      case "crash" -> {
        LOG.severe("crashing as asked");
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
      case "huge" -> "x".repeat(Integer.parseInt(role.value()) << 20);
      default -> "<i>batch of " + roles.size() + "</i>";
    }).toList();
  }
}
