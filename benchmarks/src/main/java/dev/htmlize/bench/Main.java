package dev.htmlize.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs every benchmark and writes {@code results.md} and {@code results.png}: {@code dev/bench} calls it.
 *
 * <p>Arguments: {@code --out DIR} (default {@code benchmarks/results}), {@code --pages N} (2000), {@code --rounds N}
 * (5), {@code --quick} (shorter JMH runs), {@code --skip-jmh}, {@code --only-jmh}, {@code --skip-peers}, {@code
 * --only-peers} (htmlize beside JBake and Hugo; written to {@code peers.md}), {@code --only-cache} (a large site and
 * Maven's build cache; written to {@code cache.md}).
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of("benchmarks/results");
    int pages = 2000;
    int rounds = 5;
    boolean quick = false;
    boolean jmh = true;
    boolean site = true;
    boolean peers = true;
    boolean cache = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--pages" -> pages = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        case "--skip-jmh" -> jmh = false;
        case "--only-jmh" -> {
          site = false;
          peers = false;
        }
        case "--skip-peers" -> peers = false;
        case "--only-peers" -> {
          jmh = false;
          site = false;
        }
        case "--only-cache" -> {
          jmh = false;
          site = false;
          peers = false;
          cache = true;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path work = Path.of(System.getProperty("htmlize.bench.work", "target/bench-work")).toAbsolutePath();
    SiteBenchmark.deleteTree(work);
    Results results = new Results();
    results.paragraph("Taken " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors()
        + " processors, Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
        + "), with `dev/bench" + arguments(args) + "`. "
        + "Medians with the spread (min–max) of repeated measurements; compare ratios taken in the same run, "
        + "not absolute figures across machines.");
    if (jmh) {
      jmh(results, quick);
    }
    if (site) {
      List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "-Dhtmlize.bench.work=" + work,
          "-Dhtmlize.bench.pluginJvmOptions=" + System.getProperty("htmlize.bench.pluginJvmOptions", ""));
      SiteBenchmark bench = new SiteBenchmark(work, pages, rounds, results);
      bench.site();
      bench.freshJvmSite(java);
      bench.keptOnePageChanged(java);
      bench.noopRebuild(java);
      bench.pluginStart();
      bench.hostMemory(java);
    }
    if (peers) {
      new PeersBenchmark(work, pages, rounds, results, List.of(System.getProperty("htmlize.bench.maven", "mvn")
          .split(" +")), htmlizeVersion()).run();
    }
    if (cache) {
      new CacheBenchmark(work, pages, rounds, results, List.of(System.getProperty("htmlize.bench.maven", "mvn")
          .split(" +")), htmlizeVersion()).run();
    }
    // The peers alone (--only-peers) and the build cache alone (--only-cache) have files of their own, so that
    // results.md keeps the full run's figures.
    String name = cache ? "cache" : !jmh && !site ? "peers" : "results";
    results.write(out.resolve(name + ".md"), "htmlize benchmark results");
    Chart.write(results, out.resolve(name + ".png"), "htmlize benchmarks (medians; see " + name
        + ".md for spread)");
    System.out.println("results: " + out.resolve(name + ".md"));
  }

  private static void jmh(Results results, boolean quick) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(RolesBenchmark.class.getName())
        .include(ContentsBenchmark.class.getName())
        .include(MarkdownBenchmark.class.getName())
        .include(BatchBenchmark.class.getName())
        .forks(1)
        .warmupIterations(quick ? 2 : 4)
        .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .measurementIterations(quick ? 3 : 6)
        .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .jvmArgsAppend("-Dhtmlize.bench.work=" + System.getProperty("htmlize.bench.work", "target/bench-work"),
            "-Dhtmlize.bench.pluginJvmOptions=" + System.getProperty("htmlize.bench.pluginJvmOptions", ""))
        .shouldFailOnError(true);
    Collection<RunResult> runs = new Runner(options.build()).run();
    Map<String, Statistics> byKey = new HashMap<>();
    for (RunResult run : runs) {
      String name = run.getParams().getBenchmark();
      String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
      for (String param : List.of("transport", "roles", "pageKb", "hook")) {
        String value = run.getParams().getParam(param);
        if (value != null) {
          key += " " + param + "=" + value;
        }
      }
      byKey.put(key, run.getPrimaryResult().getStatistics());
    }

    results.heading("Per call: ProcessRoles with 1 to 10,000 roles (tt plugin)");
    results.paragraph("One page's `ProcessRoles` call as the engine makes it: in process (the `Htmlizer` method), "
        + "and to a plugin process over a unix socket and over loopback TCP (blocking stub, the `Post` and the "
        + "roles converted to protobuf on every call). JMH average time per call; the spread is the min–max of the "
        + "measurement iterations.");
    List<List<String>> rows = new ArrayList<>();
    for (String roles : List.of("1", "10", "100", "1000", "10000")) {
      List<String> row = new ArrayList<>(List.of(roles));
      for (String transport : List.of("direct", "unix", "tcp")) {
        Statistics s = byKey.get("RolesBenchmark.processRoles transport=" + transport + " roles=" + roles);
        row.add(format(s));
        if (roles.equals("1") || roles.equals("1000")) {
          results.chart("ProcessRoles, one call", "µs", transport + ", " + roles + " role(s)", s.getMean());
        }
      }
      rows.add(row);
    }
    results.table(List.of("roles", "in process, µs", "unix socket, µs", "TCP, µs"), rows);
    List<List<String>> marginal = new ArrayList<>();
    for (String transport : List.of("direct", "unix", "tcp")) {
      Statistics small = byKey.get("RolesBenchmark.processRoles transport=" + transport + " roles=1000");
      Statistics large = byKey.get("RolesBenchmark.processRoles transport=" + transport + " roles=10000");
      double perRole = (large.getMean() - small.getMean()) / 9000;
      double low = (large.getMin() - small.getMax()) / 9000;
      double high = (large.getMax() - small.getMin()) / 9000;
      marginal.add(List.of(transport, Stats.number(perRole) + " (" + Stats.number(low) + "–" + Stats.number(high)
          + ")"));
      results.chart("Marginal cost of a role", "µs", transport, perRole);
    }
    results.paragraph("Marginal cost of a role, the slope between 1,000 and 10,000 roles in one call (the spread "
        + "from the extremes of both); the article's program pays ~270 µs per role, plus ~1.2 µs per KB of page, "
        + "because it makes one call per role and sends the whole post with each.");
    results.table(List.of("transport", "µs per role"), marginal);

    results.heading("Per call: ProcessContents with pages of 1 KB to 1 MB (narcissist plugin)");
    rows = new ArrayList<>();
    for (String kb : List.of("1", "16", "128", "1024")) {
      List<String> row = new ArrayList<>(List.of(kb));
      for (String transport : List.of("direct", "unix", "tcp")) {
        row.add(format(byKey.get("ContentsBenchmark.processContents transport=" + transport + " pageKb=" + kb)));
      }
      rows.add(row);
    }
    results.table(List.of("page KB", "in process, µs", "unix socket, µs", "TCP, µs"), rows);

    results.heading("Per page in a batch of " + BatchBenchmark.PAGES + ", plugin JVM warm");
    results.paragraph("A batch call as the engine makes it, once the plugin's JVM has run long enough to be "
        + "compiled: `ProcessRolesBatch` with 8 roles on each of 64 pages to `tt`, and `ProcessContentsBatch` of 64 "
        + "pages of 3 KB to `narcissist`, over a unix socket; in process, the same pages one `Htmlizer` call each. "
        + "JMH time per batch divided by 64: what a page costs out of process once the plugin's start and warm-up "
        + "are paid.");
    rows = new ArrayList<>();
    for (String hook : List.of("roles", "contents")) {
      Statistics direct = byKey.get("BatchBenchmark.batch transport=direct hook=" + hook);
      Statistics unix = byKey.get("BatchBenchmark.batch transport=unix hook=" + hook);
      rows.add(List.of(hook.equals("roles") ? "ProcessRolesBatch (tt, 8 roles a page)"
              : "ProcessContentsBatch (narcissist, 3 KB a page)", perPage(direct), perPage(unix),
          Stats.number(unix.getMean() / direct.getMean())));
      results.chart("Per page in a batch of 64", "µs", hook + ", in process", direct.getMean() / BatchBenchmark.PAGES);
      results.chart("Per page in a batch of 64", "µs", hook + ", unix socket", unix.getMean() / BatchBenchmark.PAGES);
    }
    results.table(List.of("call", "in process, µs a page", "unix socket, µs a page", "ratio"), rows);

    results.heading("Markdown throughput without plugins");
    Statistics raw = byKey.get("MarkdownBenchmark.rawCommonmark");
    Statistics engine = byKey.get("MarkdownBenchmark.engineMarkdown");
    double mb = MarkdownBenchmark.BYTES / 1e6;
    results.paragraph("The bodies of 200 generated pages (" + Stats.number(mb * 1000) + " KB), one thread: raw "
        + "commonmark-java 0.32 with the same extensions, and the engine's Markdown (roles as inline syntax, "
        + "source positions for their line numbers).");
    results.table(List.of("what", "MB/s, mean (min–max)", "ratio to raw"), List.of(
        List.of("raw commonmark-java", throughput(mb, raw), "1"),
        List.of("engine's Markdown", throughput(mb, engine), Stats.number(raw.getMean() / engine.getMean()))));
    results.chart("Markdown throughput, one thread", "MB/s", "raw commonmark-java", mb / raw.getMean() * 1000);
    results.chart("Markdown throughput, one thread", "MB/s", "engine's Markdown", mb / engine.getMean() * 1000);
  }

  /** The version of the htmlize Maven plugin on this class path: the one the peers benchmark builds with. */
  private static String htmlizeVersion() throws java.io.IOException {
    try (java.io.InputStream in = Main.class.getResourceAsStream(
        "/META-INF/maven/dev.htmlize/htmlize-maven-plugin/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the htmlize Maven plugin's pom.properties is not on the class path");
      }
      java.util.Properties properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }

  private static String format(Statistics s) {
    return Stats.number(s.getMean()) + " (" + Stats.number(s.getMin()) + "–" + Stats.number(s.getMax()) + ")";
  }

  private static String perPage(Statistics s) {
    int n = BatchBenchmark.PAGES;
    return Stats.number(s.getMean() / n) + " (" + Stats.number(s.getMin() / n) + "–" + Stats.number(s.getMax() / n)
        + ")";
  }

  private static String throughput(double mb, Statistics ms) {
    return Stats.number(mb / ms.getMean() * 1000) + " (" + Stats.number(mb / ms.getMax() * 1000) + "–"
        + Stats.number(mb / ms.getMin() * 1000) + ")";
  }

  /** The arguments as a user gives them: without the output directory, which dev/bench passes itself. */
  private static String arguments(String[] args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        i++;
        continue;
      }
      out.append(' ').append(args[i]);
    }
    return out.toString();
  }
}
