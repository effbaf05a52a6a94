package dev.htmlize.samples.issue;

import static dev.htmlize.plugin.testkit.PluginUnderTest.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.plugin.testkit.PluginUnderTest;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IssuePluginTest {
  @Test
  void linksToTheConfiguredTracker() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(IssuePlugin.class)) {
      plugin.configure(Map.of("baseUrl", "https://tracker.example/issues/", "prefix", "issue "));

      assertThat(plugin.hooks()).containsExactly("role:issue");
      assertThat(plugin.processRole("issue", " 42 ", post("a.md")))
          .isEqualTo("<a class=\"issue\" href=\"https://tracker.example/issues/42\">issue 42</a>");
    }
  }

  @Test
  void refusesWhatIsNotANumberNamingIt() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(IssuePlugin.class)) {
      plugin.configure(Map.of("baseUrl", "https://tracker.example/issues/"));

      assertThatThrownBy(() -> plugin.processRole("issue", "forty-two", post("a.md")))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("INVALID_ARGUMENT")
          .hasMessageContaining("not an issue number: \"forty-two\"");
    }
  }

  @Test
  void needsABaseUrl() {
    try (PluginUnderTest plugin = PluginUnderTest.mainClass(IssuePlugin.class)) {
      assertThatThrownBy(() -> plugin.configure(Map.of()))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("needs a baseUrl property");
    }
  }
}
