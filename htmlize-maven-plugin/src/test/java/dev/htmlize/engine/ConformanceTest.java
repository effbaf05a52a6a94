package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.htmlize.engine.testplugins.ConformancePlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SDK's plugin behaves the same: the conformance plugin of {@code src/test/resources/conformance/PLUGIN.md},
 * written with the Java, the Python and the Go SDK, renders the same site ({@code conformance/site}: Markdown and
 * text, roles with escapes, non-ASCII, empty values, the site looked up through the broker, a contents hook, and two
 * pages whose roles fail) into byte-identical pages, and fails the same pages with the same errors at the same
 * lines.
 */
class ConformanceTest {
  private static final Path SITE = Path.of("src/test/resources/conformance/site").toAbsolutePath();
  private static final Path PYTHON_SDK = Path.of("../htmlize-plugin-python/target/python").toAbsolutePath().normalize();
  private static final Path PYTHON_PLUGIN = Path.of("../htmlize-plugin-python/src/test/python/conformance_plugin.py")
      .toAbsolutePath().normalize();
  private static final Path GO_PLUGIN = Path.of("../htmlize-plugin-go/target/conformance/htmlize-conformance-plugin")
      .toAbsolutePath().normalize();
  private static final Map<String, String> PROPERTIES = Map.of("prefix", "»&");

  @TempDir
  Path temp;

  private Path src;

  @BeforeEach
  void copySite() throws Exception {
    src = temp.resolve("src");
    try (Stream<Path> files = Files.walk(SITE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path copy = src.resolve(SITE.relativize(file).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy);
      }
    }
  }

  @Test
  void theJavaPluginRendersWhatTheSpecSays() throws Exception {
    Rendered java = render("java", TestPlugins.spec("conform", ConformancePlugin.class, PROPERTIES));

    Document index = Jsoup.parse(java.pages.get(Path.of("index.html")));
    assertThat(index.select("main article kbd").stream().map(org.jsoup.nodes.Element::wholeText)).containsExactly("»&headings", "»&a < b && \"c\" 'd'",
        "»&ünï — ☃ 𝄞", "»&a`b", "", "»& x ", "»&<br>");
    assertThat(index.select("main article kbd.empty")).hasSize(1);
    assertThat(index.select("main article a").eachAttr("href")).containsExactly("docs/guide.html", "article.html");
    assertThat(index.select("main article a").first().text()).isEqualTo("The \"guide\" & more");
    // The title's code points, not its UTF-16 units: 𝄞 is one code point and two chars.
    assertThat(index.select("main article p.by").text()).isEqualTo("O'Brien & <Co> · 13");
    assertThat(java.pages.get(Path.of("index.html"))).contains("<kbd>»&amp;a &lt; b &amp;&amp; &quot;c&quot; &#39;d&#39;</kbd>");
    assertThat(java.problems).containsExactly(
        "broken/fail.md:6: plugin conform: refused: this one <x>",
        "broken/missing.md:4: plugin conform: no page docs/nowhere.md");
    assertThat(java.pages).doesNotContainKeys(Path.of("broken/fail.html"), Path.of("broken/missing.html"));
  }

  @Test
  void thePythonPluginRendersTheSameBytesAsTheJavaPlugin() throws Exception {
    require(PYTHON_SDK.resolve("htmlize_plugin/_stubs"), "the Python SDK's stubs");
    require(PYTHON_PLUGIN, "the Python conformance plugin");
    PluginSpec python = new PluginSpec("conform", List.of("/usr/bin/python3", PYTHON_PLUGIN.toString()), PROPERTIES,
        Map.of("PYTHONPATH", PYTHON_SDK.toString()), null, "conform-python");

    assertSame(render("java", TestPlugins.spec("conform", ConformancePlugin.class, PROPERTIES)),
        render("python", python));
  }

  @Test
  void theGoPluginRendersTheSameBytesAsTheJavaPlugin() throws Exception {
    require(GO_PLUGIN, "the Go conformance plugin (built by htmlize-plugin-go where Debian's go-plugin is installed)");
    PluginSpec go = new PluginSpec("conform", List.of(GO_PLUGIN.toString()), PROPERTIES, Map.of(), null, "conform-go");

    assertSame(render("java", TestPlugins.spec("conform", ConformancePlugin.class, PROPERTIES)), render("go", go));
  }

  private static void assertSame(Rendered expected, Rendered actual) {
    assertThat(actual.pages.keySet()).isEqualTo(expected.pages.keySet());
    assertThat(actual.pages.keySet()).contains(Path.of("index.html"), Path.of("docs/guide.html"),
        Path.of("article.html"));
    expected.pages.forEach((page, html) -> assertThat(actual.pages.get(page)).as(page.toString()).isEqualTo(html));
    assertThat(actual.problems).isEqualTo(expected.problems).hasSize(2);
  }

  private static void require(Path path, String what) {
    if (!Files.exists(path)) {
      String message = what + " is not built: " + path;
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
  }

  /** The site's pages rendered with this plugin (as text, decoded strictly), and its problems, pids left out. */
  private record Rendered(Map<Path, String> pages, List<String> problems) {
  }

  private Rendered render(String name, PluginSpec plugin) throws Exception {
    Path out = temp.resolve("out-" + name);
    RenderRequest request = RenderRequest.builder(src, out, temp.resolve("work-" + name)).plugin(plugin).build();
    RenderException failed = catchThrowableOfType(RenderException.class,
        () -> new Engine(new RecordingLog()).render(request));
    assertThat(failed).as("the build fails for the two broken pages").isNotNull();
    List<String> problems = new ArrayList<>();
    for (Problem problem : failed.problems()) {
      problems.add(problem.where() + ":" + problem.line() + ": "
          + problem.message().replaceFirst("^plugin conform \\(pid \\d+\\)", "plugin conform"));
    }
    problems.sort(null);
    Map<Path, String> pages = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        pages.put(out.relativize(file), StandardCharsets.UTF_8.newDecoder()
            .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString());
      }
    }
    return new Rendered(pages, problems);
  }
}
