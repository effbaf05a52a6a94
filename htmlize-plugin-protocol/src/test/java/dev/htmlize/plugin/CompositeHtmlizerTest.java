package dev.htmlize.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompositeHtmlizerTest {
  private static final Post POST = new Post(1, "Ann", "T", "a.md", "a.html", "", List.of(), Map.of());

  private record Wrap(String role, String tag) implements Htmlizer {
    @Override
    public List<String> hooks() {
      return List.of("role:" + role, "contents");
    }

    @Override
    public String processRole(String role, String value, Post post) {
      return "<" + tag + ">" + Html.escape(value) + "</" + tag + ">";
    }

    @Override
    public String processContents(String html, Post post) {
      return "[" + tag + "]" + html;
    }
  }

  @Test
  void unitesHooksRoutesRolesToTheLastRegistrantAndChainsContentsInOrder() {
    CompositeHtmlizer composite = new CompositeHtmlizer(List.of(new Wrap("a", "i"), new Wrap("b", "b"),
        new Wrap("a", "em")));

    assertThat(composite.hooks()).containsExactly("role:a", "contents", "role:b");
    assertThat(composite.processRoles(POST, List.of(new RoleOccurrence("a", "1", 1), new RoleOccurrence("b", "<2>", 2),
        new RoleOccurrence("a", "3", 3)))).containsExactly("<em>1</em>", "<b>&lt;2&gt;</b>", "<em>3</em>");
    assertThat(composite.processContents("x", POST)).isEqualTo("[em][b][i]x");
  }

  @Test
  void configuresEveryHtmlizer() {
    List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    Htmlizer recording = new Htmlizer() {
      @Override
      public List<String> hooks() {
        return List.of("contents");
      }

      @Override
      public void configure(Map<String, String> properties) {
        seen.add(properties);
      }
    };

    new CompositeHtmlizer(List.of(recording, recording)).configure(Map.of("k", "v"));

    assertThat(seen).containsExactly(Map.of("k", "v"), Map.of("k", "v"));
  }

  @Test
  void refusesInvalidHooks() {
    assertThatThrownBy(() -> new CompositeHtmlizer(List.of(() -> List.of("role:bad-name"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid hook \"role:bad-name\"");
  }

  @Test
  void theDefaultProcessRoleSaysWhatIsMissing() {
    Htmlizer lazy = () -> List.of("role:x");

    assertThatThrownBy(() -> lazy.processRoles(POST, List.of(new RoleOccurrence("x", "v", 1))))
        .hasMessageContaining("registers the role x but does not override processRole");
  }

  @Test
  void escapesHtml() {
    assertThat(Html.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
    assertThat(Html.escape("plain")).isSameAs("plain");
  }
}
