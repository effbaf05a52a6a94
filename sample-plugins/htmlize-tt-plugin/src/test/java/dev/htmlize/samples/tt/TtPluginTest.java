package dev.htmlize.samples.tt;

import static dev.htmlize.plugin.testkit.PluginUnderTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.testkit.HtmlizePluginExtension;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TtPluginTest {
  @RegisterExtension
  static final HtmlizePluginExtension plugin = HtmlizePluginExtension.mainClass(TtPlugin.class);

  @Test
  void registersTheTtRole() {
    assertThat(plugin.get().hooks()).containsExactly("role:tt");
  }

  @Test
  void wrapsTheValueInTtEscapingIt() {
    assertThat(plugin.get().processRole("tt", "a < b && \"c\"", post("a.md")))
        .isEqualTo("<tt>a &lt; b &amp;&amp; &quot;c&quot;</tt>");
  }

  @Test
  void rendersAllOfAPagesRolesInOneCall() {
    List<String> html = plugin.get().processRoles(post("a.md"), List.of(
        new RoleOccurrence("tt", "one", 1), new RoleOccurrence("tt", "", 2), new RoleOccurrence("tt", "ünï", 3)));

    assertThat(html).containsExactly("<tt>one</tt>", "<tt></tt>", "<tt>ünï</tt>");
  }

  @Test
  void anotherElementThanTheObsoleteTtCanBeChosen() {
    plugin.get().configure(Map.of("element", "code"));
    try {
      assertThat(plugin.get().processRole("tt", "a < b", post("a.md"))).isEqualTo("<code>a &lt; b</code>");
      assertThatThrownBy(() -> plugin.get().configure(Map.of("element", "script")))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("element must be one of tt, code, kbd, samp, var, not \"script\"");
    } finally {
      plugin.get().configure(Map.of());
    }
  }
}
