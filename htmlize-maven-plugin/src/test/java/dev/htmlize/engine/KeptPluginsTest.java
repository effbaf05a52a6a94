package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.engine.JavaPlugin.Mode;
import dev.htmlize.engine.testplugins.WhereAmIPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code keepAlive}: real plugin JVMs left running between builds, reattached, replaced, ended when idle and by
 * {@code htmlize:stop}'s {@link KeptPlugins#stopAll}.
 */
class KeptPluginsTest {
  @RegisterExtension
  final EngineFixture site = new EngineFixture();

  private Path registry() {
    return site.root().resolve("kept");
  }

  @AfterEach
  void stopEverything() throws Exception {
    KeptPlugins.stopAll(registry(), site.log);
  }

  private RenderRequest.Builder request(String name, Duration idle, String fingerprintSuffix) {
    Path dir = site.root().resolve("runs").resolve(name);
    return RenderRequest.builder(site.src, dir.resolve("out"), dir.resolve("work")).layout(new Layout.None())
        .keepAlive(new RenderRequest.KeepAlive(idle, registry()))
        .plugin(spec("a", fingerprintSuffix)).plugin(spec("b", ""));
  }

  @Test
  void aSingleJavaPluginIsKeptToo() throws Exception {
    site.write("page.md", ":a:`x`\n");
    for (String name : List.of("one", "two")) {
      Path dir = site.root().resolve("runs").resolve(name);
      new Engine(site.log).render(RenderRequest.builder(site.src, dir.resolve("out"), dir.resolve("work"))
          .layout(new Layout.None()).keepAlive(new RenderRequest.KeepAlive(Duration.ofMinutes(5), registry()))
          .plugin(spec("a", "")).build());
    }
    assertThat(pid("two")).isEqualTo(pid("one"));
    assertThat(entries()).hasSize(1);
  }

  private static PluginSpec spec(String role, String fingerprintSuffix) {
    PluginSpec spec = TestPlugins.java(role, WhereAmIPlugin.class, Map.of("greeting", role), Mode.SHARED, List.of(),
        role);
    return new PluginSpec(spec.name(), spec.command(), spec.properties(), spec.environment(), spec.sha256(),
        spec.fingerprint() + fingerprintSuffix, spec.autoMtls(), spec.allowPlaintextTcp(), spec.shutdownGrace(),
        spec.java());
  }

  /** The pid the plugin {@code a} answered from, in this run's page. */
  private long pid(String name) throws Exception {
    String text = Jsoup.parse(Files.readString(site.root().resolve("runs").resolve(name).resolve("out/page.html")))
        .select("p").first().text();
    return Long.parseLong(Stream.of(text.split(" ")).filter(f -> f.startsWith("pid=")).findFirst().orElseThrow()
        .substring(4));
  }

  /** The registry's entries that name a JVM (a free slot is an empty entry). */
  private List<Path> entries() throws Exception {
    try (Stream<Path> files = Files.list(registry())) {
      return files.filter(f -> f.toString().endsWith(".json")).filter(f -> {
        try {
          return Files.size(f) > 0;
        } catch (java.io.IOException e) {
          return false;
        }
      }).toList();
    }
  }

  @Test
  void aSecondBuildReattachesToTheKeptJvmAndStopEndsIt() throws Exception {
    site.write("page.md", ":a:`x`\n\n:b:`y`\n");

    RenderSummary first = new Engine(site.log).render(request("one", Duration.ofMinutes(5), "").build());
    long pid = pid("one");
    assertThat(first.processes()).isEqualTo(1);
    assertThat(ProcessHandle.of(pid)).as("kept after the build").hasValueSatisfying(p ->
        assertThat(p.isAlive()).isTrue());
    assertThat(entries()).hasSize(1);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(registry())))
        .isEqualTo("rwx------");

    new Engine(site.log).render(request("two", Duration.ofMinutes(5), "").build());
    assertThat(pid("two")).as("the second build reattached").isEqualTo(pid);
    assertThat(Files.readString(site.root().resolve("runs/two/out/page.html"))).contains("greeting=a")
        .contains("greeting=b");

    ProcessHandle kept = ProcessHandle.of(pid).orElseThrow();
    assertThat(KeptPlugins.stopAll(registry(), site.log)).isEqualTo(1);
    kept.onExit().get(10, TimeUnit.SECONDS);
    assertThat(entries()).isEmpty();
  }

  @Test
  void aChangedPluginGetsANewJvm() throws Exception {
    site.write("page.md", ":a:`x`\n");
    new Engine(site.log).render(request("one", Duration.ofMinutes(5), "").build());
    new Engine(site.log).render(request("two", Duration.ofMinutes(5), " (jar changed)").build());

    assertThat(pid("two")).isNotEqualTo(pid("one"));
    assertThat(entries()).hasSize(2);
  }

  @Test
  void aJvmInUseByAnotherBuildIsNotSharedWithIt() throws Exception {
    site.write("page.md", ":a:`x`\n");
    render("one");
    Path entry = entries().get(0);
    // Another build holds the kept JVM (as a build does from reattaching to its end): this one launches its own.
    try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(entry,
        java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock lock = held.lock()) {
      render("two");
      assertThat(pid("two")).isNotEqualTo(pid("one"));
      assertThat(entries()).hasSize(2);
      assertThat(KeptPlugins.stopAll(registry(), site.log)).as("the one in use is left running").isEqualTo(1);
      assertThat(ProcessHandle.of(pid("one"))).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    }
    render("three");
    assertThat(pid("three")).isEqualTo(pid("one"));
  }

  private RenderSummary render(String name) throws Exception {
    return new Engine(site.log).render(request(name, Duration.ofMinutes(5), "").build());
  }

  @Test
  void aKeptJvmExitsByItselfWhenIdle() throws Exception {
    site.write("page.md", ":a:`x`\n");
    new Engine(site.log).render(request("one", Duration.ofSeconds(3), "").build());
    ProcessHandle kept = ProcessHandle.of(pid("one")).orElseThrow();

    kept.onExit().get(30, TimeUnit.SECONDS);

    // Its entry is stale now: the next build launches a new JVM and replaces it.
    new Engine(site.log).render(request("two", Duration.ofMinutes(5), "").build());
    assertThat(pid("two")).isNotEqualTo(kept.pid());
    assertThat(entries()).hasSize(1);
  }

  @Test
  void aKeptJvmKilledMeanwhileIsLaunchedAnew() throws Exception {
    site.write("page.md", ":a:`x`\n");
    new Engine(site.log).render(request("one", Duration.ofMinutes(5), "").build());
    ProcessHandle kept = ProcessHandle.of(pid("one")).orElseThrow();
    kept.destroyForcibly();
    kept.onExit().get(10, TimeUnit.SECONDS);

    new Engine(site.log).render(request("two", Duration.ofMinutes(5), "").build());

    assertThat(pid("two")).isNotEqualTo(kept.pid());
    assertThat(Files.readString(site.root().resolve("runs/two/out/page.html"))).contains("greeting=a");
    assertThat(entries()).hasSize(1);
  }

  @Test
  void withoutKeepAliveNoPluginOutlivesTheBuild() throws Exception {
    site.write("page.md", ":a:`x`\n");
    Path dir = site.root().resolve("runs").resolve("one");
    new Engine(site.log).render(RenderRequest.builder(site.src, dir.resolve("out"), dir.resolve("work"))
        .layout(new Layout.None()).plugin(spec("a", "")).plugin(spec("b", "")).build());
    ProcessHandle plugin = ProcessHandle.of(pid("one")).orElse(null);
    assertThat(plugin == null || !plugin.isAlive()).isTrue();
    assertThat(registry()).doesNotExist();
  }
}
