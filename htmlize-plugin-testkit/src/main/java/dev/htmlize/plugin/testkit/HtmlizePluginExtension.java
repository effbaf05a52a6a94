package dev.htmlize.plugin.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a plugin once before a test class's tests and shuts it down after them:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HtmlizePluginExtension plugin = HtmlizePluginExtension.mainClass(TtPlugin.class);
 *
 * @Test
 * void rendersTt() {
 *   assertThat(plugin.get().processRole("tt", "x", PluginUnderTest.post("a.md"))).isEqualTo("<tt>x</tt>");
 * }
 * }</pre>
 */
public final class HtmlizePluginExtension implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<PluginUnderTest> starter;
  private PluginUnderTest plugin;

  private HtmlizePluginExtension(Supplier<PluginUnderTest> starter) {
    this.starter = starter;
  }

  /** For a plugin whose {@code main} is in this class; see {@link PluginUnderTest#mainClass}. */
  public static HtmlizePluginExtension mainClass(Class<?> mainClass, String... args) {
    return new HtmlizePluginExtension(() -> PluginUnderTest.mainClass(mainClass, args));
  }

  /** For any plugin. */
  public static HtmlizePluginExtension of(Supplier<PluginUnderTest> starter) {
    return new HtmlizePluginExtension(starter);
  }

  /** The running plugin. */
  public PluginUnderTest get() {
    if (plugin == null) {
      throw new IllegalStateException("the plugin starts before the test class's tests; register the extension on a "
          + "static field");
    }
    return plugin;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    plugin = starter.get();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (plugin != null) {
      plugin.close();
      plugin = null;
    }
  }
}
