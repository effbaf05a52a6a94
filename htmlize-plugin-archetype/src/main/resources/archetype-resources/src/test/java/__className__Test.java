package ${package};

import static dev.htmlize.plugin.testkit.PluginUnderTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.plugin.testkit.HtmlizePluginExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plugin as a build sees it: a real process, started from this jar's classes, called over gRPC. */
class ${className}Test {
  @RegisterExtension
  static final HtmlizePluginExtension plugin = HtmlizePluginExtension.mainClass(${className}.class);

  @Test
  void registersItsRole() {
    assertThat(plugin.get().hooks()).containsExactly("role:${role}");
  }

  @Test
  void rendersTheValueEscaped() {
    assertThat(plugin.get().processRole("${role}", "a < b & \"c\"", post("index.md")))
        .isEqualTo("<span class=\"${role}\">a &lt; b &amp; &quot;c&quot;</span>");
  }

  @Test
  void takesTheClassFromItsProperties() {
    plugin.get().configure(Map.of("class", "highlight"));
    try {
      assertThat(plugin.get().processRole("${role}", "x", post("index.md")))
          .isEqualTo("<span class=\"highlight\">x</span>");
    } finally {
      plugin.get().configure(Map.of());
    }
  }

  @Test
  void refusesAnEmptyValue() {
    assertThatThrownBy(() -> plugin.get().processRole("${role}", " ", post("index.md")))
        .hasMessageContaining("an empty :${role}: role");
  }
}
