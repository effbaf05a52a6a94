package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.engine.JavaPlugin.Mode;
import dev.htmlize.engine.testplugins.SelfServingPlugin;
import dev.htmlize.engine.testplugins.ShoutPlugin;
import dev.htmlize.engine.testplugins.WhereAmIPlugin;
import dev.htmlize.samples.issue.IssuePlugin;
import dev.htmlize.samples.ref.RefPlugin;
import dev.htmlize.samples.toc.TocPlugin;
import dev.htmlize.samples.tt.TtPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java plugins in one shared plugin JVM, in JVMs of their own, and loaded in this JVM ({@code inProcess}): real
 * processes, real gRPC; where each plugin ran is what it says it ran in.
 */
class SharedPluginJvmTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  /** What {@link WhereAmIPlugin} says, by role. */
  private Map<String, String> where(String page) throws IOException {
    Document document = Jsoup.parse(Files.readString(site.out.resolve(page)));
    Map<String, String> answers = new LinkedHashMap<>();
    for (String paragraph : document.select("p").eachText()) {
      int colon = paragraph.indexOf(':');
      answers.put(paragraph.substring(0, colon), paragraph.substring(colon + 1).strip());
    }
    return answers;
  }

  private static String field(String answer, String name) {
    return Stream.of(answer.split(" ")).filter(f -> f.startsWith(name + "=")).findFirst().orElseThrow()
        .substring(name.length() + 1);
  }

  private static PluginSpec where(String name, Mode mode, String greeting, List<String> jvmOptions) {
    return TestPlugins.java(name, WhereAmIPlugin.class, Map.of("greeting", greeting), mode, jvmOptions, name);
  }

  @Test
  void javaPluginsShareOneJvmEachInItsOwnClassLoaderWithItsOwnConfiguration() throws Exception {
    site.write("page.md", "a: :a:`x`\n\nb: :b:`x`\n\nc: :c:`x`\n");

    new Engine(site.log).render(site.request().plugin(where("a", Mode.SHARED, "hello", List.of()))
        .plugin(where("b", Mode.SHARED, "bonjour", List.of()))
        .plugin(where("c", Mode.SHARED, "hallo", List.of())).build());

    Map<String, String> answers = where("page.html");
    assertThat(answers).containsOnlyKeys("a", "b", "c");
    String pid = field(answers.get("a"), "pid");
    assertThat(pid).isNotEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThat(answers.values()).allSatisfy(answer -> {
      assertThat(field(answer, "pid")).isEqualTo(pid);
      // Each in a class loader of its own: its own statics, so each is its class's first instance.
      assertThat(field(answer, "instance")).isEqualTo("1");
      assertThat(field(answer, "context")).isEqualTo("true");
    });
    assertThat(answers.values().stream().map(a -> field(a, "loader")))
        .containsExactly("htmlize-plugin-a", "htmlize-plugin-b", "htmlize-plugin-c");
    assertThat(answers.values().stream().map(a -> field(a, "greeting")))
        .containsExactly("hello", "bonjour", "hallo");
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  @Test
  void isolatedPluginsAndPluginsWithOtherJvmOptionsGetJvmsOfTheirOwn() throws Exception {
    site.write("page.md", "a: :a:`x`\n\nb: :b:`x`\n\nc: :c:`x`\n\nd: :d:`x`\n\ne: :e:`x`\n");

    new Engine(site.log).render(site.request().plugin(where("a", Mode.SHARED, "", List.of()))
        .plugin(where("b", Mode.ISOLATED, "", List.of()))
        .plugin(where("c", Mode.SHARED, "", List.of("-Xmx48m")))
        .plugin(where("d", Mode.SHARED, "", List.of()))
        .plugin(where("e", Mode.SHARED, "", List.of("-Xmx48m"))).build());

    Map<String, String> answers = where("page.html");
    Map<String, String> pids = new LinkedHashMap<>();
    answers.forEach((role, answer) -> pids.put(role, field(answer, "pid")));
    assertThat(pids.get("a")).isEqualTo(pids.get("d"));
    assertThat(pids.get("c")).isEqualTo(pids.get("e"));
    assertThat(List.of(pids.get("a"), pids.get("b"), pids.get("c"))).doesNotHaveDuplicates();
    // A JVM of its own loads the plugin with the application class loader, as always.
    assertThat(field(answers.get("b"), "loader")).isEqualTo("app");
  }

  @Test
  void aPluginThatServesItselfRunsInAProcessOfItsOwn() throws Exception {
    site.write("page.md", "a: :a:`x`\n\nself: :self:`x`\n");
    PluginSpec self = TestPlugins.java("self", SelfServingPlugin.class, Map.of(), Mode.SHARED, List.of());

    new Engine(site.log).render(site.request().plugin(where("a", Mode.SHARED, "", List.of())).plugin(self)
        .plugin(where("b", Mode.SHARED, "", List.of())).build());

    Map<String, String> answers = where("page.html");
    assertThat(field(answers.get("self"), "pid")).isNotEqualTo(field(answers.get("a"), "pid"));
    assertThat(site.log.debug).anyMatch(line -> line.contains("plugin self serves go-plugin's protocol itself"));
  }

  @Test
  void aCrashOfTheSharedJvmFailsTheBuildNamingEveryPluginInIt() throws Exception {
    site.write("page.md", "a: :a:`x`\n\n:crash:`7`\n");
    PluginSpec shout = TestPlugins.java("shout", ShoutPlugin.class, Map.of(), Mode.SHARED, List.of());

    assertThatThrownBy(() -> new Engine(site.log).render(site.request().plugin(where("a", Mode.SHARED, "", List.of()))
        .plugin(shout).threads(1).build()))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("page.md:1: plugin shout (pid ").hasMessageContaining("exited with status 7")
        .hasMessageContaining("the plugin JVM shared by a, shout is gone");
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  @Test
  void anInProcessPluginIsLoadedInThisJvmInItsOwnClassLoader() throws Exception {
    site.write("page.md", "a: :a:`x`\n\nb: :b:`x`\n");

    new Engine(site.log).render(site.request().plugin(where("a", Mode.IN_PROCESS, "hello", List.of()))
        .plugin(where("b", Mode.IN_PROCESS, "bonjour", List.of())).build());

    Map<String, String> answers = where("page.html");
    assertThat(answers.values()).allSatisfy(answer -> {
      assertThat(field(answer, "pid")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
      assertThat(field(answer, "instance")).isEqualTo("1");
      assertThat(field(answer, "context")).isEqualTo("true");
    });
    assertThat(field(answers.get("a"), "loader")).isEqualTo("htmlize-plugin-a");
    assertThat(field(answers.get("b"), "greeting")).isEqualTo("bonjour");
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  @Test
  void theSamplePluginsRenderTheSamePagesSharedIsolatedAndInProcess() throws Exception {
    site.write("index.md", "# Home\n\n<!-- toc -->\n\n## Part\n\nSee :ref:`guide.md` and :issue:`12`, :tt:`a<b`.\n");
    site.write("guide.md", "---\ntitle: The guide\n---\n# Guide\n\n## One\n\n:tt:`x` :issue:`3`\n");
    List<Map<String, String>> sites = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      Path out = site.root().resolve("out-" + mode);
      Path work = site.root().resolve("work-" + mode);
      new Engine(site.log).render(RenderRequest.builder(site.src, out, work).layout(new Layout.None())
          .plugin(TestPlugins.java("tt", TtPlugin.class, Map.of(), mode, List.of()))
          .plugin(TestPlugins.java("issue", IssuePlugin.class, Map.of("baseUrl", "https://t.example/"), mode,
              List.of()))
          .plugin(TestPlugins.java("ref", RefPlugin.class, Map.of(), mode, List.of()))
          .plugin(TestPlugins.java("toc", TocPlugin.class, Map.of(), mode, List.of())).build());
      Map<String, String> pages = new LinkedHashMap<>();
      for (String page : List.of("index.html", "guide.html")) {
        pages.put(page, Files.readString(out.resolve(page)));
      }
      sites.add(pages);
    }
    assertThat(sites.get(0).get("index.html")).contains("<tt>a&lt;b</tt>").contains("The guide")
        .contains("https://t.example/12");
    assertThat(sites.get(1)).isEqualTo(sites.get(0));
    assertThat(sites.get(2)).isEqualTo(sites.get(0));
  }
}
