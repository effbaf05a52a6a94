package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.engine.JavaPlugin.Mode;
import dev.htmlize.engine.testplugins.WhereAmIPlugin;
import dev.htmlize.samples.ref.RefPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The modules of one build sharing plugin processes through a {@link PluginPool}: real plugin processes, each module
 * rendering its own site into its own directories with its own properties, as the Maven goal's executions do.
 */
class PluginPoolTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private final PluginPool pool = new PluginPool();
  private final List<Long> seen = new ArrayList<>();

  @AfterEach
  void closeThePool() throws Exception {
    pool.close();
    for (long pid : seen) {
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }
  }

  /** A module: its own sources (these pages), output and work directories, and these plugins. */
  private RenderRequest module(String name, Map<String, String> pages, PluginSpec... plugins) throws Exception {
    Path dir = site.root().resolve("modules").resolve(name);
    for (Map.Entry<String, String> page : pages.entrySet()) {
      Path file = dir.resolve("src").resolve(page.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, page.getValue());
    }
    RenderRequest.Builder request = RenderRequest.builder(dir.resolve("src"), dir.resolve("out"), dir.resolve("work"))
        .layout(new Layout.None());
    for (PluginSpec plugin : plugins) {
      request.plugin(plugin);
    }
    return request.build();
  }

  private static PluginSpec shared(String role, String greeting) {
    return TestPlugins.java(role, WhereAmIPlugin.class, Map.of("greeting", greeting), Mode.SHARED, List.of(), role);
  }

  private static PluginSpec isolated(String role, String greeting) {
    return TestPlugins.spec(role, WhereAmIPlugin.class, Map.of("greeting", greeting), role);
  }

  private RenderSummary render(RenderRequest request) throws RenderException {
    return new Engine(site.log, PluginLauncher.processes(pool)).render(request);
  }

  private Document page(String module, String page) throws Exception {
    return Jsoup.parse(Files.readString(site.root().resolve("modules").resolve(module).resolve("out").resolve(page)));
  }

  /** What the WhereAmI plugin of this role answered on the module's page: "pid=…", "greeting=…" and so on. */
  private Map<String, String> where(String module, String role) throws Exception {
    String text = page(module, "page.html").select("p").stream().filter(p -> p.text().startsWith(role + ": "))
        .findFirst().orElseThrow().text().substring(role.length() + 2);
    Map<String, String> fields = new java.util.HashMap<>();
    for (String field : text.split(" ")) {
      fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
    }
    seen.add(Long.parseLong(fields.get("pid")));
    return fields;
  }

  private static final String PAGE = "a: :a:`x`\n\nb: :b:`x`\n\niso: :iso:`x`\n";

  @Test
  void modulesWithTheSamePluginsUseTheSameProcessesEachWithItsOwnProperties() throws Exception {
    RenderSummary first = render(module("one", Map.of("page.md", PAGE), shared("a", "one-a"), shared("b", "one-b"),
        isolated("iso", "one-iso")));
    RenderSummary second = render(module("two", Map.of("page.md", PAGE), shared("a", "two-a"), shared("b", "two-b"),
        isolated("iso", "two-iso")));

    assertThat(first.processes()).isEqualTo(2);
    assertThat(first.reused()).isZero();
    assertThat(second.processes()).isEqualTo(2);
    assertThat(second.reused()).as("both processes are the first module's").isEqualTo(2);
    assertThat(second.line()).contains("3 plugins, 2 processes (started by an earlier module)");
    for (String role : List.of("a", "b", "iso")) {
      assertThat(where("two", role).get("pid")).as(role).isEqualTo(where("one", role).get("pid"));
      assertThat(where("one", role).get("greeting")).isEqualTo("one-" + role);
      assertThat(where("two", role).get("greeting")).as("configured again, with module two's properties")
          .isEqualTo("two-" + role);
    }
    assertThat(where("one", "a").get("pid")).isEqualTo(where("one", "b").get("pid"));
    assertThat(where("one", "iso").get("pid")).isNotEqualTo(where("one", "a").get("pid"));

    List<ProcessHandle> processes = seen.stream().distinct().map(pid -> ProcessHandle.of(pid).orElseThrow()).toList();
    assertThat(processes).hasSize(2).allMatch(ProcessHandle::isAlive);
    pool.close();
    for (ProcessHandle process : processes) {
      process.onExit().get(30, TimeUnit.SECONDS);
    }
    assertThat(pool.size()).isZero();
  }

  @Test
  void eachModuleSeesItsOwnSite() throws Exception {
    PluginSpec ref = TestPlugins.java("ref", RefPlugin.class, Map.of(), Mode.SHARED, List.of());
    render(module("one", Map.of("index.md", "See :ref:`guide.md`.\n", "guide.md", "# The guide of one\n"), ref));
    render(module("two", Map.of("index.md", "See :ref:`manual.md`.\n", "manual.md", "# The manual of two\n"), ref));

    assertThat(page("one", "index.html").select("a").text()).isEqualTo("The guide of one");
    assertThat(page("two", "index.html").select("a").text()).isEqualTo("The manual of two");
    assertThat(page("two", "index.html").select("a").attr("href")).isEqualTo("manual.html");
    // Module three refers to module one's page: not in its site.
    assertThatThrownBy(() -> render(module("three", Map.of("index.md", "See :ref:`guide.md`.\n"), ref)))
        .isInstanceOf(RenderException.class).hasMessageContaining("index.md");
    assertThat(pool.size()).as("one shared JVM, through the three modules").isEqualTo(1);
  }

  @Test
  void aProcessThatDiedIsNotReusedAndOtherPluginsAreNotShared() throws Exception {
    render(module("one", Map.of("page.md", PAGE), shared("a", "1"), shared("b", "1"), isolated("iso", "1")));
    long iso = Long.parseLong(where("one", "iso").get("pid"));
    ProcessHandle killed = ProcessHandle.of(iso).orElseThrow();
    killed.destroyForcibly();
    killed.onExit().get(30, TimeUnit.SECONDS);

    RenderSummary second = render(module("two", Map.of("page.md", PAGE), shared("a", "2"), shared("b", "2"),
        isolated("iso", "2")));
    assertThat(where("two", "iso").get("pid")).isNotEqualTo(Long.toString(iso));
    assertThat(where("two", "a").get("pid")).isEqualTo(where("one", "a").get("pid"));
    assertThat(second.reused()).isEqualTo(1);

    // Other JVM options make another JVM.
    PluginSpec other = TestPlugins.java("a", WhereAmIPlugin.class, Map.of("greeting", "3"), Mode.SHARED,
        List.of("-Xss2m"), "a");
    render(module("three", Map.of("page.md", "a: :a:`x`\n"), other));
    assertThat(where("three", "a").get("pid")).isNotEqualTo(where("one", "a").get("pid"));
  }

  @Test
  void modulesRenderingAtOnceUseOneProcessEachAndTheNextTakesAFreeOne() throws Exception {
    // Each render, once it has its plugin, waits until the other has one too: they overlap for sure.
    CountDownLatch both = new CountDownLatch(2);
    EngineLog waiting = new RecordingLog() {
      @Override
      public void debug(String message) {
        super.debug(message);
        if (message.startsWith("plugin iso ")) {
          both.countDown();
          try {
            both.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    List<CompletableFuture<RenderSummary>> renders = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      RenderRequest request = module(name, Map.of("page.md", "iso: :iso:`x`\n"), isolated("iso", name));
      renders.add(CompletableFuture.supplyAsync(() -> {
        try {
          return new Engine(waiting, PluginLauncher.processes(pool)).render(request);
        } catch (RenderException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    renders.forEach(CompletableFuture::join);
    Set<String> pids = new HashSet<>(List.of(where("one", "iso").get("pid"), where("two", "iso").get("pid")));
    assertThat(pids).hasSize(2);
    assertThat(pool.size()).isEqualTo(2);

    render(module("three", Map.of("page.md", "iso: :iso:`x`\n"), isolated("iso", "three")));
    assertThat(pids).contains(where("three", "iso").get("pid"));
    assertThat(where("three", "iso").get("greeting")).isEqualTo("three");
    assertThat(pool.size()).isEqualTo(2);
  }

  @Test
  void aPluginGivenBackAfterThePoolClosedEnds() throws Exception {
    render(module("one", Map.of("page.md", "iso: :iso:`x`\n"), isolated("iso", "1")));
    ProcessHandle process = ProcessHandle.of(Long.parseLong(where("one", "iso").get("pid"))).orElseThrow();
    PluginManager plugins = PluginManager.launch(module("two", Map.of("page.md", "iso: :iso:`x`\n"),
        isolated("iso", "2")), site.log, PluginLauncher.processes(pool));
    assertThat(plugins.reusedProcesses()).isEqualTo(1);
    pool.close();
    assertThat(process.isAlive()).as("in use when the pool closed").isTrue();
    plugins.close();
    process.onExit().get(30, TimeUnit.SECONDS);
    try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
      assertThat(children.filter(ProcessHandle::isAlive).map(ProcessHandle::pid)).doesNotContain(process.pid());
    }
  }
}
