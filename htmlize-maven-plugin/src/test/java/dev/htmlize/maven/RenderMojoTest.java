package dev.htmlize.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** Parameter wiring of the render goal, through Maven's own configurator (behaviour is tested on the engine). */
@MojoTest
class RenderMojoTest {
  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/pom.xml")
  void mapsEveryParameter(RenderMojo mojo) {
    assertThat(mojo.sourceDirectory.toPath()).isAbsolute().endsWithRaw(Path.of("pages"));
    assertThat(mojo.outputDirectory.toPath()).isAbsolute().endsWithRaw(Path.of("site"));
    assertThat(mojo.includes).containsExactly("**/*.md");
    assertThat(mojo.excludes).containsExactly("drafts/**");
    assertThat(mojo.encoding).isEqualTo("ISO-8859-1");
    assertThat(mojo.author).isEqualTo("Ann");
    assertThat(mojo.layout).isEqualTo("none");
    assertThat(mojo.failOnUnknownRole).isTrue();
    assertThat(mojo.startTimeout).isEqualTo(5);
    assertThat(mojo.callTimeout).isEqualTo(7);
    assertThat(mojo.threads).isEqualTo(3);
    assertThat(mojo.inheritEnvironment).isTrue();
    assertThat(mojo.force).isTrue();
    assertThat(mojo.skip).isFalse();
  }

  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/pom.xml")
  void readsPluginEntriesOfEachKind(RenderMojo mojo) {
    assertThat(mojo.plugins).hasSize(3);
    PluginEntry tt = mojo.plugins.get(0);
    assertThat(tt.coordinates).isEqualTo("dev.htmlize:htmlize-tt-plugin:1.0");
    assertThat(tt.jvmArgs).containsExactly("-Xmx32m");
    PluginEntry issue = mojo.plugins.get(1);
    assertThat(List.of(issue.groupId, issue.artifactId, issue.version))
        .containsExactly("dev.htmlize", "htmlize-issue-plugin", "1.0");
    assertThat(issue.sha256).isEqualTo("ABCDEF");
    assertThat(issue.properties).isEqualTo(Map.of("baseUrl", "https://tracker.example/"));
    assertThat(issue.environment).isEqualTo(Map.of("TOKEN", "t"));
    PluginEntry py = mojo.plugins.get(2);
    assertThat(py.executable.toPath()).isAbsolute().endsWithRaw(Path.of("tools", "plugin.py"));
    assertThat(py.arguments).containsExactly("--fast");
    assertThat(py.name).isEqualTo("py");
    assertThat(py.autoMtls).isTrue();
    assertThat(py.allowPlaintextTcp).isTrue();
    assertThat(tt.autoMtls).isFalse();
    assertThat(tt.allowPlaintextTcp).isFalse();
  }

  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/defaults.xml")
  void hasTheDocumentedDefaults(RenderMojo mojo) {
    assertThat(mojo.layout).isEqualTo("default");
    assertThat(mojo.startTimeout).isEqualTo(60);
    assertThat(mojo.callTimeout).isEqualTo(60);
    assertThat(mojo.threads).isZero();
    assertThat(mojo.failOnUnknownRole).isFalse();
    assertThat(mojo.inheritEnvironment).isFalse();
    assertThat(mojo.force).isFalse();
    assertThat(mojo.maxSourceSize).isEqualTo(10L * 1024 * 1024);
    assertThat(mojo.skip).isFalse();
    assertThat(mojo.plugins).isEmpty();
    assertThat(mojo.sourceDirectory.getPath().replace('\\', '/')).endsWith("src/main/htmlize");
    assertThat(mojo.outputDirectory.getPath().replace('\\', '/')).endsWith("generated-resources/htmlize");
  }

  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/defaults.xml")
  @MojoParameter(name = "skip", value = "true")
  void skipsWhenAsked(RenderMojo mojo) throws Exception {
    assertThat(mojo.skip).isTrue();
    mojo.execute();
  }

  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/defaults.xml")
  void readsReattachLinesByPluginName(RenderMojo mojo) throws Exception {
    mojo.reattach = "{\"htmlize-tt-plugin\":{\"Protocol\":\"grpc\",\"ProtocolVersion\":1,\"Pid\":4242,"
        + "\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/p/plugin1\"}}}";

    Map<String, dev.htmlize.goplugin.ReattachConfig> read = mojo.reattachments();

    assertThat(read).containsOnlyKeys("htmlize-tt-plugin");
    assertThat(read.get("htmlize-tt-plugin").address()).isEqualTo("/tmp/p/plugin1");
    assertThat(read.get("htmlize-tt-plugin").pid()).isEqualTo(4242);
    assertThat(read.get("htmlize-tt-plugin").test()).isTrue();

    mojo.reattach = "{\"Protocol\":\"grpc\"}";
    org.assertj.core.api.Assertions.assertThatThrownBy(mojo::reattachments)
        .isInstanceOf(org.apache.maven.plugin.MojoExecutionException.class)
        .hasMessageContaining("reattach must be a JSON object mapping plugin names");
  }

  @Test
  @InjectMojo(goal = "render", pom = "classpath:/unit/render/defaults.xml")
  void refusesNegativeThreadsAndSizesRatherThanReplacingThem(RenderMojo mojo) {
    Path work = Path.of("target", "render-mojo-test");
    mojo.threads = -1;
    assertThatThrownBy(() -> mojo.request(work)).isInstanceOf(MojoExecutionException.class)
        .hasMessage("htmlize: threads must be 0 (the default: one per processor) or more, not -1");
    mojo.threads = 0;
    for (long size : new long[] {0, -5}) {
      mojo.maxSourceSize = size;
      assertThatThrownBy(() -> mojo.request(work)).isInstanceOf(MojoExecutionException.class)
          .hasMessage("htmlize: maxSourceSize must be a positive number of bytes, not " + size);
    }
  }
}
