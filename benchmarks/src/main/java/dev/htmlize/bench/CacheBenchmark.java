package dev.htmlize.bench;

import dev.htmlize.bench.SiteGenerator.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A large site in a CI-like loop, through real Maven builds of a generated project (packaging jar, a minimal layout,
 * no plugins): a cold build without the build cache, the same build again (htmlize's own no-op), a cold build that
 * fills Maven's Build Cache Extension (1.2.1, the README's configuration), and the restore of that build after
 * {@code rm -rf target} (what another agent with the cache gets). Rounds in turn; wall time of the whole command.
 */
final class CacheBenchmark {
  private static final String EXTENSION = "1.2.1";
  private static final String SKIPPED = "Skipping plugin execution (cached): htmlize:render";

  private final Path work;
  private final int pages;
  private final int rounds;
  private final Results results;
  private final List<String> maven;
  private final String version;

  CacheBenchmark(Path work, int pages, int rounds, Results results, List<String> maven, String version) {
    this.work = work.resolve("cache");
    this.pages = pages;
    this.rounds = rounds;
    this.results = results;
    this.maven = maven;
    this.version = version;
  }

  void run() throws Exception {
    SiteBenchmark.deleteTree(work);
    Path project = work.resolve("site");
    SiteGenerator.generatePlain(project, pages, 2026, Peer.HTMLIZE);
    Files.createDirectories(project.resolve("src/main/layouts"));
    Files.writeString(project.resolve("src/main/layouts/page.mustache"), """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head>
        <body><main><article>{{{body}}}</article></main></body></html>
        """, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), pom(), StandardCharsets.UTF_8);
    Files.createDirectories(project.resolve(".mvn"));
    Files.writeString(project.resolve(".mvn/extensions.xml"), """
        <extensions>
          <extension>
            <groupId>org.apache.maven.extensions</groupId>
            <artifactId>maven-build-cache-extension</artifactId>
            <version>EXTENSION</version>
          </extension>
        </extensions>
        """.replace("EXTENSION", EXTENSION), StandardCharsets.UTF_8);
    Files.writeString(project.resolve(".mvn/maven-build-cache-config.xml"), """
        <cache xmlns="http://maven.apache.org/BUILD-CACHE-CONFIG/1.2.0">
          <configuration>
            <enabled>true</enabled>
            <hashAlgorithm>SHA-256</hashAlgorithm>
            <attachedOutputs>
              <dirNames>
                <dirName>generated-resources/htmlize</dirName>
                <dirName glob="htmlize-state.json">htmlize</dirName>
              </dirNames>
            </attachedOutputs>
          </configuration>
          <input>
            <global>
              <glob>*</glob>
              <includes>
                <include>src/main/htmlize</include>
                <include>src/main/layouts</include>
              </includes>
            </global>
          </input>
        </cache>
        """, StandardCharsets.UTF_8);
    Path cache = work.resolve("build-cache");
    List<String> off = command("-Dmaven.build.cache.enabled=false");
    List<String> on = command("-Dmaven.build.cache.location=" + cache);
    // One build first, not measured: Maven resolves the plugins and the extension, the page cache fills.
    build(project, off);
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (String scenario : List.of("cold, no cache", "no-op, no cache", "cold, filling the cache",
        "restored from the cache")) {
      seconds.put(scenario, new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      SiteBenchmark.deleteTree(project.resolve("target"));
      SiteBenchmark.deleteTree(cache);
      seconds.get("cold, no cache").add(build(project, off).seconds);
      seconds.get("no-op, no cache").add(build(project, off).seconds);
      SiteBenchmark.deleteTree(project.resolve("target"));
      Build filling = build(project, on);
      if (filling.log.contains(SKIPPED)) {
        throw new IllegalStateException("the first build with an empty cache was restored:\n" + filling.log);
      }
      seconds.get("cold, filling the cache").add(filling.seconds);
      SiteBenchmark.deleteTree(project.resolve("target"));
      Build restored = build(project, on);
      if (!restored.log.contains(SKIPPED) || restored.log.contains("pages rendered")) {
        throw new IllegalStateException("the build after rm -rf target was not restored:\n" + restored.log);
      }
      check(project);
      seconds.get("restored from the cache").add(restored.seconds);
    }
    results.heading("A large site and Maven's build cache: " + pages + " generated pages");
    results.paragraph("`mvn package` of a project of " + pages + " generated Markdown pages (packaging jar, a minimal "
        + "layout, no plugins), with Maven's Build Cache Extension " + EXTENSION + " configured as the README says. "
        + "Cold, no cache: no output, no state, `-Dmaven.build.cache.enabled=false`; no-op, no cache: the same build "
        + "again (htmlize finds nothing to do); cold, filling the cache: an empty cache, so the build runs and saves "
        + "its outputs; restored from the cache: `rm -rf target` and the build again, which restores the pages and the "
        + "jar without running htmlize (as another agent with a shared cache would). Wall time of the whole command, "
        + rounds + " rounds; every restored build is checked to have all the pages.");
    List<List<String>> rows = new ArrayList<>();
    List<Double> base = seconds.get("cold, no cache");
    for (Map.Entry<String, List<Double>> scenario : seconds.entrySet()) {
      List<Double> ratio = new ArrayList<>();
      for (int i = 0; i < scenario.getValue().size(); i++) {
        ratio.add(scenario.getValue().get(i) / base.get(i));
      }
      Stats stats = Stats.of(scenario.getValue());
      rows.add(List.of(scenario.getKey(), stats.format(), scenario.getValue() == base ? "1"
          : Stats.of(ratio).format()));
      results.chart(pages + " pages and the build cache", "s", scenario.getKey(), stats.median());
    }
    results.table(List.of("build", "seconds, median (min–max, n)", "÷ cold without cache, median (min–max)"), rows);
  }

  private String pom() {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>bench</groupId>
          <artifactId>large-site</artifactId>
          <version>1</version>
          <name>Large site</name>
          <properties>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <build>
            <plugins>
              <plugin>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
              </plugin>
              <plugin>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
              </plugin>
              <plugin>
                <groupId>dev.htmlize</groupId>
                <artifactId>htmlize-maven-plugin</artifactId>
                <version>VERSION</version>
                <executions>
                  <execution>
                    <goals>
                      <goal>render</goal>
                    </goals>
                    <configuration>
                      <layout>${project.basedir}/src/main/layouts/page.mustache</layout>
                    </configuration>
                  </execution>
                </executions>
              </plugin>
            </plugins>
          </build>
        </project>
        """.replace("VERSION", version);
  }

  private List<String> command(String option) {
    List<String> command = new ArrayList<>(maven);
    command.addAll(List.of("-B", option, "package"));
    return command;
  }

  private record Build(double seconds, String log) {
  }

  private Build build(Path project, List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(work, "log-", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().remove("MAVEN_OPTS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    if (exit != 0) {
      throw new IllegalStateException("mvn package failed (exit " + exit + ") in " + project + ":\n" + output);
    }
    return new Build(seconds, output);
  }

  /** Every page is there after a restore. */
  private void check(Path project) throws IOException {
    try (var files = Files.walk(project.resolve("target/generated-resources/htmlize"))) {
      long written = files.filter(p -> p.toString().endsWith(".html")).count();
      if (written != pages) {
        throw new IllegalStateException("restored " + written + " pages of " + pages);
      }
    }
  }
}
