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
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * htmlize beside the tools a user would pick instead, on the same generated pages (no roles, the same front matter in
 * each tool's format, one minimal page template in each tool's language): JBake through its Maven plugin ({@code
 * org.jbake:jbake-maven-plugin} 0.3.5 with {@code jbake-core} 2.6.7, its defaults but for the index, feed, archive
 * and tag pages, which are turned off as htmlize writes none without {@code siteUrl}), and Hugo (the {@code hugo}
 * command on the PATH, Debian's). Each build is a real one in a fresh process, as a user runs it: {@code mvn
 * generate-resources} for the two Maven plugins, {@code hugo} for Hugo. Three builds a round, in rotating order of
 * the tools: cold (no output, no state), no-op (again, nothing changed), one page changed (a paragraph of one body
 * edited). Wall time of the whole command, and its peak resident memory (GNU time's maximum resident set size, the
 * largest process of the build). Every build is checked: it wrote one page per source, page 0 carries its title and
 * headings, the changed page its new paragraph.
 */
final class PeersBenchmark {
  private static final String JBAKE_PLUGIN = "0.3.5";
  private static final String JBAKE_CORE = "2.6.7";
  private static final String FREEMARKER = "2.3.31";
  private static final String FLEXMARK = "0.62.2";

  /** A tool, how it is run, and where it writes. */
  private record Tool(String name, Peer peer, Path project, List<String> command, Path output) {
  }

  /** One build's figures. */
  private record Build(double seconds, double peakMb, String log) {
  }

  private final Path work;
  private final int pages;
  private final int rounds;
  private final Results results;
  private final List<String> maven;
  private final String version;

  /**
   * {@code maven} runs Maven (the command and its options, such as {@code -o}); {@code version} is the htmlize Maven
   * plugin's, installed in the local repository.
   */
  PeersBenchmark(Path work, int pages, int rounds, Results results, List<String> maven, String version) {
    this.work = work.resolve("peers");
    this.pages = pages;
    this.rounds = rounds;
    this.results = results;
    this.maven = maven;
    this.version = version;
  }

  void run() throws Exception {
    SiteBenchmark.deleteTree(work);
    List<Tool> tools = List.of(htmlize("htmlize", false, false), htmlize("htmlize, default theme", true, false),
        htmlize("htmlize, C1 only (.mvn/jvm.config)", false, true), jbake(), hugo());
    Tool validate = new Tool("mvn validate", Peer.HTMLIZE, tools.get(0).project(), mavenCommand("validate"),
        tools.get(0).output());
    // One build each first, not measured: Maven resolves the plugins and their dependencies, the page cache fills.
    for (Tool tool : tools) {
      clean(tool);
      build(tool);
    }
    List<String> scenarios = List.of("cold", "no-op", "one page changed");
    Map<String, Map<String, List<Build>>> figures = new LinkedHashMap<>();
    Map<String, List<Double>> engineSeconds = new LinkedHashMap<>();
    List<Double> validateSeconds = new ArrayList<>();
    for (String scenario : scenarios) {
      figures.put(scenario, new LinkedHashMap<>());
      for (Tool tool : tools) {
        figures.get(scenario).put(tool.name(), new ArrayList<>());
      }
    }
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < tools.size(); k++) {
        Tool tool = tools.get((round + k) % tools.size());
        clean(tool);
        Build cold = build(tool);
        figures.get("cold").get(tool.name()).add(cold);
        engineSeconds(tool, cold).ifPresent(s -> engineSeconds.computeIfAbsent("cold " + tool.name(),
            x -> new ArrayList<>()).add(s));
        figures.get("no-op").get(tool.name()).add(build(tool));
        Path page = tool.project().resolve(tool.peer().contentDirectory).resolve(changedPage() + ".md");
        String before = Files.readString(page, StandardCharsets.UTF_8);
        Files.writeString(page, before + "\nA paragraph added in round " + round + ".\n", StandardCharsets.UTF_8);
        Build changed = build(tool);
        figures.get("one page changed").get(tool.name()).add(changed);
        checkChanged(tool, round);
        Files.writeString(page, before, StandardCharsets.UTF_8);
      }
      validateSeconds.add(build(validate).seconds());
    }
    report(tools, scenarios, figures, engineSeconds, validateSeconds);
    roleSlope();
  }

  /**
   * The marginal cost of a role through the real goal: cold builds of 100 pages with 10 and with 1,000 {@code :tt:}
   * roles each, through the Java tt sample plugin by its coordinates (in the shared plugin JVM, as a build runs it),
   * alternating; the slope is the difference over the 99,000 roles more, of the whole build and of the engine's time.
   */
  private void roleSlope() throws Exception {
    int slopePages = 100;
    Map<Integer, Tool> byRoles = new LinkedHashMap<>();
    for (int roles : List.of(10, 1000)) {
      Path project = work.resolve("roles-" + roles);
      Files.createDirectories(project.resolve(".mvn"));
      for (int i = 0; i < slopePages; i++) {
        StringBuilder page = new StringBuilder("---\ntitle: Page " + i + "\n---\n\n# Page " + i + "\n\n");
        for (int r = 0; r < roles; r++) {
          page.append("Call :tt:`call").append(r).append("()` here.").append(r % 10 == 9 ? "\n\n" : "\n");
        }
        Path file = project.resolve(String.format("src/main/htmlize/page-%05d.md", i));
        Files.createDirectories(file.getParent());
        Files.writeString(file, page, StandardCharsets.UTF_8);
      }
      Files.writeString(project.resolve("pom.xml"), pom("roles", htmlizePlugin("""
          <layout>none</layout>
          <plugins>
            <plugin>
              <coordinates>dev.htmlize:htmlize-tt-plugin:VERSION</coordinates>
            </plugin>
          </plugins>
          """)), StandardCharsets.UTF_8);
      byRoles.put(roles, new Tool("roles", Peer.HTMLIZE, project, mavenCommand("generate-resources"),
          project.resolve("target/generated-resources/htmlize")));
    }
    for (Tool tool : byRoles.values()) {
      clean(tool);
      buildUnchecked(tool);
    }
    List<Double> whole = new ArrayList<>();
    List<Double> engine = new ArrayList<>();
    Map<Integer, List<Double>> seconds = new LinkedHashMap<>();
    for (int round = 0; round < Math.max(3, rounds); round++) {
      Map<Integer, Build> builds = new LinkedHashMap<>();
      for (int roles : round % 2 == 0 ? List.of(10, 1000) : List.of(1000, 10)) {
        Tool tool = byRoles.get(roles);
        clean(tool);
        Build build = buildUnchecked(tool);
        Document page = Jsoup.parse(tool.output().resolve("page-00000.html").toFile(), "UTF-8");
        if (page.select("tt, code").size() != roles) {
          throw new IllegalStateException("the tt plugin wrote " + page.select("tt, code").size() + " elements of "
              + roles + " roles");
        }
        builds.put(roles, build);
        seconds.computeIfAbsent(roles, r -> new ArrayList<>()).add(build.seconds());
      }
      double extra = slopePages * 990.0;
      whole.add((builds.get(1000).seconds() - builds.get(10).seconds()) / extra * 1e6);
      engine.add((engineTime(builds.get(1000)) - engineTime(builds.get(10))) / extra * 1e6);
    }
    results.heading("Marginal cost of a role through the goal");
    results.paragraph("Cold `mvn generate-resources` of " + slopePages + " pages with 10 and with 1,000 `:tt:` roles "
        + "each (layout `none`), through the Java tt sample plugin by its coordinates (the shared plugin JVM), "
        + "alternating: " + Stats.of(seconds.get(10)).format() + " s and " + Stats.of(seconds.get(1000)).format()
        + " s. The slope, over the 99,000 roles more: " + Stats.of(whole).format() + " µs a role of the whole build, "
        + Stats.of(engine).format() + " µs of the engine's time (the build's last line).");
    results.chart("Marginal cost of a role through the goal", "µs", "whole build", Stats.of(whole).median());
    results.chart("Marginal cost of a role through the goal", "µs", "engine's time", Stats.of(engine).median());
  }

  private static double engineTime(Build build) {
    return build.log().lines().filter(line -> line.contains("htmlize: ") && line.endsWith(" s"))
        .reduce((a, b) -> b).map(line -> Double.parseDouble(line.substring(line.lastIndexOf("; ") + 2,
            line.length() - 2))).orElseThrow(() -> new IllegalStateException("no htmlize line in " + build.log()));
  }

  private void report(List<Tool> tools, List<String> scenarios, Map<String, Map<String, List<Build>>> figures,
      Map<String, List<Double>> engineSeconds, List<Double> validateSeconds) {
    results.heading("Beside JBake and Hugo: " + pages + " generated pages, no roles, no plugins");
    results.paragraph("The same pages (front matter in each tool's format, byte-identical Markdown bodies) built by "
        + "htmlize's goal (`mvn generate-resources`), by JBake's Maven plugin " + JBAKE_PLUGIN + " with jbake-core "
        + JBAKE_CORE + " (the same command; its defaults, but for the index, feed, archive and tag pages, which are "
        + "off as htmlize writes none of them here) and by Hugo (`hugo`, " + hugoVersion() + "), each in a fresh "
        + "process as a user runs it. Each tool renders a page with one minimal template of its own language (title "
        + "and body); \"htmlize, default theme\" is the same build with htmlize's built-in theme (menu of every "
        + "section and page, previous and next); \"C1 only\" is the first with `-XX:TieredStopAtLevel=1` in the "
        + "project's `.mvn/jvm.config` (the build's JVM compiles with its quick compiler only). Cold: no output and no state; no-op: the same build again; one page "
        + "changed: a paragraph added to one page. Wall time of the whole command, " + rounds + " rounds in rotating "
        + "order; memory is the peak resident set of the build's largest process. Every build is checked: one page "
        + "per source, page 0's title and headings, the changed page's new paragraph.");
    List<List<String>> rows = new ArrayList<>();
    Tool base = tools.get(0);
    for (String scenario : scenarios) {
      for (Tool tool : tools) {
        List<Build> builds = figures.get(scenario).get(tool.name());
        List<Build> baseBuilds = figures.get(scenario).get(base.name());
        List<Double> ratio = new ArrayList<>();
        for (int i = 0; i < builds.size(); i++) {
          ratio.add(builds.get(i).seconds() / baseBuilds.get(i).seconds());
        }
        Stats seconds = Stats.of(builds.stream().map(Build::seconds).toList());
        rows.add(List.of(scenario, tool.name(), seconds.format(), tool == base ? "1" : Stats.of(ratio).format(),
            Stats.number(Stats.of(builds.stream().map(Build::peakMb).toList()).median())));
        results.chart(pages + " pages beside JBake and Hugo: " + scenario, "s", tool.name(), seconds.median());
      }
    }
    results.table(List.of("build", "tool", "seconds, median (min–max, n)", "÷ htmlize, median (min–max)",
        "peak MB"), rows);
    Stats validate = Stats.of(validateSeconds);
    List<String> notes = new ArrayList<>();
    notes.add("`mvn validate` of the same project (Maven starting, reading the POM, no goal): " + validate.format()
        + " s");
    for (Tool tool : tools) {
      Stats cold = Stats.of(figures.get("cold").get(tool.name()).stream().map(Build::seconds).toList());
      if (tool.peer() != Peer.HUGO) {
        notes.add(tool.name() + ": the goal's own time, cold (`generate-resources` less `validate`, medians): "
            + Stats.number(cold.median() - validate.median()) + " s");
      }
      List<Double> engine = engineSeconds.get("cold " + tool.name());
      if (engine != null) {
        notes.add(tool.name() + ": the engine's own time, cold (the time on the build's last line): "
            + Stats.of(engine).format() + " s");
      }
    }
    results.paragraph(String.join("; ", notes) + ".");
  }

  /** The time htmlize's last line gives (the engine's own, from its start to its last write), if it is htmlize. */
  private static java.util.Optional<Double> engineSeconds(Tool tool, Build build) {
    return tool.peer() == Peer.HTMLIZE ? java.util.Optional.of(engineTime(build)) : java.util.Optional.empty();
  }

  private Tool htmlize(String name, boolean defaultTheme, boolean clientCompiler) throws IOException {
    Path project = work.resolve(defaultTheme ? "htmlize-theme" : clientCompiler ? "htmlize-c1" : "htmlize");
    SiteGenerator.generatePlain(project, pages, 2026, Peer.HTMLIZE);
    // The project's own .mvn (Maven looks for the nearest one up the tree): its jvm.config sets the build's JVM options.
    Files.createDirectories(project.resolve(".mvn"));
    if (clientCompiler) {
      Files.writeString(project.resolve(".mvn/jvm.config"), "-XX:TieredStopAtLevel=1\n", StandardCharsets.UTF_8);
    }
    Files.createDirectories(project.resolve("src/main/layouts"));
    Files.writeString(project.resolve("src/main/layouts/page.mustache"), """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head>
        <body><main><article>{{{body}}}</article></main></body></html>
        """, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), pom("htmlize-peer", htmlizePlugin(defaultTheme ? ""
        : "<layout>${project.basedir}/src/main/layouts/page.mustache</layout>")), StandardCharsets.UTF_8);
    return new Tool(name, Peer.HTMLIZE, project, mavenCommand("generate-resources"),
        project.resolve("target/generated-resources/htmlize"));
  }

  private Tool jbake() throws IOException {
    Path project = work.resolve("jbake");
    SiteGenerator.generatePlain(project, pages, 2026, Peer.JBAKE);
    Files.createDirectories(project.resolve(".mvn"));
    Path templates = Files.createDirectories(project.resolve("src/main/jbake/templates"));
    Files.writeString(templates.resolve("page.ftl"), """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>${content.title}</title></head>
        <body><main><article>${content.body}</article></main></body></html>
        """, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("src/main/jbake/jbake.properties"), """
        render.index=false
        render.feed=false
        render.archive=false
        render.tags=false
        render.sitemap=false
        markdown.extensions=TABLES,FENCED_CODE_BLOCKS,STRIKETHROUGH,AUTOLINKS
        """, StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), pom("jbake-peer", """
        <plugin>
          <groupId>org.jbake</groupId>
          <artifactId>jbake-maven-plugin</artifactId>
          <version>PLUGIN</version>
          <executions>
            <execution>
              <phase>generate-resources</phase>
              <goals>
                <goal>generate</goal>
              </goals>
            </execution>
          </executions>
          <dependencies>
            <dependency>
              <groupId>org.jbake</groupId>
              <artifactId>jbake-core</artifactId>
              <version>CORE</version>
            </dependency>
            <dependency>
              <groupId>org.freemarker</groupId>
              <artifactId>freemarker</artifactId>
              <version>FREEMARKER</version>
            </dependency>
            <dependency>
              <groupId>com.vladsch.flexmark</groupId>
              <artifactId>flexmark-profile-pegdown</artifactId>
              <version>FLEXMARK</version>
            </dependency>
          </dependencies>
        </plugin>
        """.replace("PLUGIN", JBAKE_PLUGIN).replace("CORE", JBAKE_CORE).replace("FREEMARKER", FREEMARKER)
        .replace("FLEXMARK", FLEXMARK)), StandardCharsets.UTF_8);
    return new Tool("JBake", Peer.JBAKE, project, mavenCommand("generate-resources"),
        project.resolve("target/jbake-peer-1"));
  }

  private Tool hugo() throws IOException {
    Path project = work.resolve("hugo");
    SiteGenerator.generatePlain(project, pages, 2026, Peer.HUGO);
    Path layouts = Files.createDirectories(project.resolve("layouts/_default"));
    Files.writeString(layouts.resolve("single.html"), """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
        <body><main><article>{{ .Content }}</article></main></body></html>
        """, StandardCharsets.UTF_8);
    // Pages only, as the other two write: no home, section, taxonomy, feed or sitemap pages; page-00001.html as the
    // others name it.
    Files.writeString(project.resolve("config.toml"), """
        baseURL = "http://localhost/"
        title = "Peers"
        disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
        uglyURLs = true
        """, StandardCharsets.UTF_8);
    return new Tool("Hugo", Peer.HUGO, project, List.of("hugo", "--quiet"), project.resolve("public"));
  }

  /** htmlize's Maven plugin of this version, its render goal with this configuration ({@code VERSION} replaced). */
  private String htmlizePlugin(String configuration) {
    return """
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
        CONFIGURATION
              </configuration>
            </execution>
          </executions>
        </plugin>
        """.replace("CONFIGURATION", configuration.indent(10).stripTrailing()).replace("VERSION", version);
  }

  /** A project of packaging {@code pom} whose build has this one plugin element, with UTF-8 sources. */
  private static String pom(String artifactId, String plugin) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>bench</groupId>
          <artifactId>ARTIFACT</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <name>Peers</name>
          <properties>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <build>
            <plugins>
        PLUGIN
            </plugins>
          </build>
        </project>
        """.replace("ARTIFACT", artifactId).replace("PLUGIN", plugin.indent(6).stripTrailing());
  }

  private List<String> mavenCommand(String phase) {
    List<String> command = new ArrayList<>(maven);
    command.addAll(List.of("-B", phase));
    return command;
  }

  private static String hugoVersion() {
    try {
      Process process = new ProcessBuilder("hugo", "version").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      process.waitFor();
      String[] words = out.split(" ");
      return words.length > 1 ? words[1] : out;
    } catch (IOException | InterruptedException e) {
      return "version unknown";
    }
  }

  /** Removes what the tool wrote: its output, and its state (htmlize's and JBake's under target, Hugo's resources). */
  private static void clean(Tool tool) throws IOException {
    SiteBenchmark.deleteTree(tool.project().resolve("target"));
    SiteBenchmark.deleteTree(tool.project().resolve("public"));
    SiteBenchmark.deleteTree(tool.project().resolve("resources"));
  }

  /** Runs the tool's build under GNU time, checks what it wrote, and returns its figures. */
  private Build build(Tool tool) throws IOException, InterruptedException {
    Build build = buildUnchecked(tool);
    if (!tool.name().equals("mvn validate")) {
      check(tool);
    }
    return build;
  }

  /** Runs the tool's build under GNU time and returns its figures. */
  private Build buildUnchecked(Tool tool) throws IOException, InterruptedException {
    Path times = Files.createTempFile(work, "time-", ".txt");
    List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", times.toString()));
    command.addAll(tool.command());
    Path log = Files.createTempFile(work, "log-", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(tool.project().toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The builds' own JVMs as a user's: no options of this benchmark's JVM.
    builder.environment().remove("MAVEN_OPTS");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (exit != 0) {
      throw new IllegalStateException(tool.name() + " failed (exit " + exit + ") in " + tool.project() + ":\n"
          + output);
    }
    double peakMb = Double.parseDouble(Files.readString(times).strip().lines().reduce((a, b) -> b).orElseThrow())
        / 1024;
    Files.delete(times);
    Files.delete(log);
    return new Build(seconds, peakMb, output);
  }

  /** One page per source, page 0 with its title and headings: a misconfigured tool fails here, not in the report. */
  private void check(Tool tool) throws IOException {
    long written;
    try (Stream<Path> files = Files.walk(tool.output())) {
      written = files.filter(f -> f.getFileName().toString().matches("page-\\d{5}\\.html")).count();
    }
    if (written != pages) {
      throw new IllegalStateException(tool.name() + " wrote " + written + " pages of " + pages + " in "
          + tool.output());
    }
    Document page = Jsoup.parse(tool.output().resolve("section-00/page-00000.html").toFile(), "UTF-8");
    String title = SiteGenerator.pages(1, 2026).get(0).lines().filter(l -> l.startsWith("title: ")).findFirst()
        .orElseThrow().substring(7);
    if (!page.title().equals(title) && !page.title().startsWith(title)) {
      throw new IllegalStateException(tool.name() + ": page 0's title is \"" + page.title() + "\", not \"" + title
          + "\"");
    }
    if (page.select("article h1").isEmpty() || page.select("article h2").isEmpty()) {
      throw new IllegalStateException(tool.name() + ": page 0 has no headings: " + page.body().html());
    }
  }

  /** The page the third build of a round changes, without its extension: one a third of the way in. */
  private String changedPage() {
    int index = pages / 3;
    return String.format("section-%02d/page-%05d", index / 100, index);
  }

  private void checkChanged(Tool tool, int round) throws IOException {
    Document page = Jsoup.parse(tool.output().resolve(changedPage() + ".html").toFile(), "UTF-8");
    String expected = "A paragraph added in round " + round + ".";
    if (page.select("p").stream().noneMatch(p -> p.text().equals(expected))) {
      throw new IllegalStateException(tool.name() + ": the changed page does not show \"" + expected + "\"");
    }
  }
}
