package dev.htmlize.engine.testplugins;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test plugin that says where it runs: its role (named by its first argument, default {@code where}) answers with
 * the process id, the name of its class loader, how many instances of its class that loader made, and the property
 * {@code greeting} it was configured with.
 */
public final class WhereAmIPlugin implements Htmlizer {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private final String role;
  private final int instance;
  private volatile String greeting = "";

  WhereAmIPlugin(String role) {
    this.role = role;
    this.instance = INSTANCES.incrementAndGet();
  }

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new WhereAmIPlugin(args.length > 0 ? args[0] : "where"));
  }

  @Override
  public List<String> hooks() {
    return List.of("role:" + role);
  }

  @Override
  public void configure(Map<String, String> properties) {
    greeting = properties.getOrDefault("greeting", "");
  }

  @Override
  public String processRole(String name, String value, Post post) {
    return Html.escape("pid=" + ProcessHandle.current().pid() + " loader="
        + WhereAmIPlugin.class.getClassLoader().getName() + " instance=" + instance + " greeting=" + greeting
        + " context=" + (Thread.currentThread().getContextClassLoader() == WhereAmIPlugin.class.getClassLoader()));
  }
}
