package dev.htmlize.bench;

import dev.htmlize.engine.Engine;
import dev.htmlize.engine.JavaPlugin;
import dev.htmlize.engine.EngineLog;
import dev.htmlize.engine.Layout;
import dev.htmlize.engine.RenderRequest;
import dev.htmlize.engine.RenderSummary;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.plugin.Htmlizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The end-to-end benchmark: a generated site rendered by the engine (a) without plugins, (b) with the sample plugins
 * as processes, (c) with the same plugin classes in process, interleaved in every round so that ratios compare
 * figures taken side by side; plugin start; a no-op rebuild; host heap against the number of pages; plugin memory.
 */
public final class SiteBenchmark {
  /** A log that keeps quiet but for errors: the benchmarks report their own figures. */
  static final EngineLog QUIET = new EngineLog() {
    @Override
    public void debug(String message) {
    }

    @Override
    public void info(String message) {
    }

    @Override
    public void warn(String message) {
    }

    @Override
    public void error(String message) {
      System.err.println(message);
    }
  };

  private final Path work;
  private final int pages;
  private final int rounds;
  private final Results results;
  private int run;

  SiteBenchmark(Path work, int pages, int rounds, Results results) {
    this.work = work;
    this.pages = pages;
    this.rounds = rounds;
    this.results = results;
  }

  private RenderRequest.Builder request(Path src, String name, boolean plugins) throws IOException {
    Path dir = work.resolve("runs").resolve(name + "-" + (run++));
    RenderRequest.Builder builder = RenderRequest.builder(src, dir.resolve("out"), dir.resolve("work"))
        .layout(new Layout.Default());
    return plugins ? withSamplePlugins(builder) : builder;
  }

  private RenderRequest.Builder request(Path src, String name, JavaPlugin.Mode mode) throws IOException {
    return withSamplePlugins(request(src, name, false), mode);
  }

  /** The request with the four sample plugins in one shared plugin JVM with class-data sharing, as builds run them. */
  static RenderRequest.Builder withSamplePlugins(RenderRequest.Builder builder) {
    return withSamplePlugins(builder, JavaPlugin.Mode.SHARED);
  }

  /** The request with the four sample plugins, run this way. */
  static RenderRequest.Builder withSamplePlugins(RenderRequest.Builder builder, JavaPlugin.Mode mode) {
    for (Class<? extends Htmlizer> plugin : BenchPlugins.SAMPLES) {
      builder.plugin(BenchPlugins.spec(plugin, BenchPlugins.cdsDirectory(true), mode));
    }
    return builder;
  }

  /** Runs a JVM that prints one number, and returns it; {@code what} names it in the error if it fails. */
  private static double runJava(List<String> command, String what) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes()).strip();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(what + " failed: " + out);
    }
    return Double.parseDouble(out);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** Processor time this JVM used during the last {@link #timeRender}, in ms (all its threads). */
  private double lastHostCpu;

  private static long hostCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  private double timeRender(Engine engine, RenderRequest request, int expectedPlugins) throws Exception {
    long cpu = hostCpuNanos();
    long start = System.nanoTime();
    RenderSummary summary = engine.render(request);
    long elapsed = System.nanoTime() - start;
    lastHostCpu = millis(hostCpuNanos() - cpu);
    if (summary.rendered() + summary.upToDate() == 0 || summary.plugins() != expectedPlugins) {
      throw new IllegalStateException("unexpected render: " + summary.line());
    }
    return millis(elapsed);
  }

  void site() throws Exception {
    Path src = work.resolve("site");
    long bytes = SiteGenerator.generate(src, pages, 2026);
    Engine processes = new Engine(QUIET);
    Engine direct = new Engine(QUIET, BenchPlugins.inProcess());
    RssSampler rss = new RssSampler();
    // Warm-up: the JIT in this JVM, and the plugins' class-data sharing archives (created by the first launch).
    timeRender(processes, request(src, "warm-a", false).build(), 0);
    timeRender(direct, request(src, "warm-c", true).build(), 4);
    timeRender(processes, request(src, "warm-b", true).build(), 4);
    timeRender(processes, request(src, "warm-d", JavaPlugin.Mode.ISOLATED).build(), 4);
    clean();
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    List<Double> bOverC = new ArrayList<>();
    List<Double> aOverC = new ArrayList<>();
    List<Double> cpuA = new ArrayList<>();
    List<Double> cpuB = new ArrayList<>();
    List<Double> cpuC = new ArrayList<>();
    List<Double> cpuPlugins = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double[] times = new double[3];
      for (int k = 0; k < 3; k++) {
        int mode = (round + k) % 3;
        times[mode] = switch (mode) {
          case 0 -> timeRender(processes, request(src, "a", false).build(), 0);
          case 1 -> {
            rss.start();
            try {
              yield timeRender(processes, request(src, "b", true).build(), 4);
            } finally {
              rss.stop();
              cpuPlugins.add(rss.takeCpuMillis());
            }
          }
          default -> timeRender(direct, request(src, "c", true).build(), 4);
        };
        (mode == 0 ? cpuA : mode == 1 ? cpuB : cpuC).add(lastHostCpu);
      }
      clean();
      a.add(times[0]);
      b.add(times[1]);
      c.add(times[2]);
      bOverC.add(times[1] / times[2]);
      aOverC.add(times[0] / times[2]);
    }
    // Each plugin in a JVM of its own, for the memory of a single plugin JVM and the cost of four.
    RssSampler rssIsolated = new RssSampler();
    List<Double> d = new ArrayList<>();
    List<Double> dOverC = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      rssIsolated.start();
      try {
        d.add(timeRender(processes, request(src, "d", JavaPlugin.Mode.ISOLATED).build(), 4));
      } finally {
        rssIsolated.stop();
        rssIsolated.takeCpuMillis();
      }
      dOverC.add(d.get(round) / c.get(round));
      clean();
    }
    // The fixed cost of plugin processes: a one-page site, start to shutdown.
    Path one = work.resolve("one-page");
    SiteGenerator.generate(one, 1, 2026);
    List<Double> fixedB = new ArrayList<>();
    List<Double> fixedC = new ArrayList<>();
    List<Double> fixedCpuB = new ArrayList<>();
    List<Double> fixedCpuPlugins = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      rss.start();
      try {
        fixedB.add(timeRender(processes, request(one, "fixed-b", true).build(), 4));
      } finally {
        rss.stop();
        fixedCpuPlugins.add(rss.takeCpuMillis());
      }
      fixedCpuB.add(lastHostCpu);
      fixedC.add(timeRender(direct, request(one, "fixed-c", true).build(), 4));
    }
    clean();
    Stats sa = Stats.of(a);
    Stats sb = Stats.of(b);
    Stats sc = Stats.of(c);
    Stats ratio = Stats.of(bOverC);
    Stats fb = Stats.of(fixedB);
    Stats fc = Stats.of(fixedC);
    double perPage = (sb.median() - fb.median() - (sc.median() - fc.median())) / pages * 1000;

    results.heading("Per site: " + pages + " generated Markdown pages (" + String.format("%.1f", bytes / 1e6)
        + " MB), full render");
    results.paragraph("Each round renders the site three times into fresh directories, in rotating order: (a) no "
        + "plugins, (b) the four sample plugins (tt, issue, toc, narcissist) in one shared plugin JVM, (c) the same "
        + "plugin classes called in process; then (d), each plugin in a JVM of its own, once a round. Times are wall clock for `Engine.render`, including starting and stopping "
        + "the plugins in (b); " + Runtime.getRuntime().availableProcessors() + " render threads.");
    results.table(List.of("what", "median ms (min–max, n)", "ratio to (c), median (min–max)"), List.of(
        List.of("(a) no plugins", sa.format(), Stats.of(aOverC).format()),
        List.of("(b) sample plugins in one shared plugin JVM", sb.format(), ratio.format()),
        List.of("(c) same plugin classes in process", sc.format(), "1"),
        List.of("(d) each sample plugin in a JVM of its own", Stats.of(d).format(), Stats.of(dOverC).format()),
        List.of("(a) throughput", Stats.number(bytes / 1e3 / sa.median()) + " MB/s", "")));
    results.paragraph("Where (b)'s extra time goes: a one-page site takes " + fb.format() + " ms with plugin "
        + "processes (launch to handshake, Hooks, Configure, one page, Shutdown and exit of four JVMs) against "
        + fc.format() + " ms in process; the rest is " + Stats.number(perPage) + " µs per page ("
        + "pages go in batches of up to 64, and each plugin gets one call per batch: ProcessRolesBatch to tt and "
        + "issue, ProcessContentsBatch to toc and narcissist).");
    results.paragraph("Processor time of a full render (medians, ms; " + Runtime.getRuntime().availableProcessors()
        + " processors), which shows what (b) costs beyond (c) when the processors are the limit:");
    results.table(List.of("what", "host JVM, ms", "plugin processes, ms", "total, ms"), List.of(
        List.of("(a) no plugins", Stats.number(Stats.of(cpuA).median()), "", Stats.number(Stats.of(cpuA).median())),
        List.of("(b) plugins out of process", Stats.number(Stats.of(cpuB).median()),
            Stats.number(Stats.of(cpuPlugins).median()),
            Stats.number(Stats.of(cpuB).median() + Stats.of(cpuPlugins).median())),
        List.of("(b) of which a one-page site (start, configure, shutdown)", Stats.number(Stats.of(fixedCpuB).median()),
            Stats.number(Stats.of(fixedCpuPlugins).median()),
            Stats.number(Stats.of(fixedCpuB).median() + Stats.of(fixedCpuPlugins).median())),
        List.of("(c) plugins in process", Stats.number(Stats.of(cpuC).median()), "",
            Stats.number(Stats.of(cpuC).median()))));
    results.chart("Site of " + pages + " pages, full render", "ms", "(a) no plugins", sa.median());
    results.chart("Site of " + pages + " pages, full render", "ms", "(b) plugins out of process", sb.median());
    results.chart("Site of " + pages + " pages, full render", "ms", "(c) plugins in process", sc.median());
    results.chart("Site of " + pages + " pages, full render", "ms", "(b) fixed: one-page site", fb.median());

    Map<Long, Long> peaks = rss.peaks();
    if (!peaks.isEmpty()) {
      Stats kb = Stats.of(peaks.values().stream().mapToDouble(v -> v / 1024.0).toArray());
      Stats anon = Stats.of(rss.anonPeaks().values().stream().mapToDouble(v -> v / 1024.0).toArray());
      results.paragraph("Peak resident memory (VmHWM) of the shared plugin JVM, four plugins in it, during (b): " + kb.format() + " MB over "
          + peaks.size() + " plugin processes; of which anonymous memory (RssAnon: heap, metaspace, compiled code, "
          + "stacks, malloc) " + anon.format() + " MB. The rest is file-backed (the JVM's libraries, the "
          + "class-data sharing archive, jars), shared through the page cache with every other JVM that maps them.");
    }
    Map<Long, Long> isolatedPeaks = rssIsolated.peaks();
    if (!isolatedPeaks.isEmpty()) {
      Stats kb = Stats.of(isolatedPeaks.values().stream().mapToDouble(v -> v / 1024.0).toArray());
      Stats anon = Stats.of(rssIsolated.anonPeaks().values().stream().mapToDouble(v -> v / 1024.0).toArray());
      results.paragraph("Peak resident memory of a plugin JVM that serves one plugin, during (d): " + kb.format()
          + " MB over " + isolatedPeaks.size() + " plugin processes; anonymous " + anon.format() + " MB.");
    }
  }

  /**
   * (b) against (c) as a build runs them: each render in a fresh JVM, so the in-process plugin code starts as cold as
   * the plugin processes do (the rounds above reuse one JVM, whose compiled code makes (c) faster than any single
   * build's).
   */
  void freshJvmSite(List<String> javaCommand) throws Exception {
    Path src = work.resolve("site");
    List<JavaPlugin.Mode> modes = List.of(JavaPlugin.Mode.SHARED, JavaPlugin.Mode.ISOLATED,
        JavaPlugin.Mode.IN_PROCESS);
    List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    List<Double> sharedRatio = new ArrayList<>();
    List<Double> isolatedRatio = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double[] round3 = new double[3];
      for (int k = 0; k < 3; k++) {
        int mode = (round + k) % 3;
        List<String> command = new ArrayList<>(javaCommand);
        command.addAll(List.of(FreshRender.class.getName(), src.toString(),
            work.resolve("runs").resolve("fresh-" + mode).toString(), modes.get(mode).name()));
        round3[mode] = runJava(command, "fresh render");
        times.get(mode).add(round3[mode]);
      }
      clean();
      sharedRatio.add(round3[0] / round3[2]);
      isolatedRatio.add(round3[1] / round3[2]);
    }
    results.paragraph("The same renders as a build runs them, each in a fresh JVM (the goal's and the in-process "
        + "plugins' code as cold as the plugin processes'), in rotating order:");
    results.table(List.of("what", "median ms (min–max, n)", "ratio to in process, median (min–max)"), List.of(
        List.of("the four plugins in one shared plugin JVM (the default)", Stats.of(times.get(0)).format(),
            Stats.of(sharedRatio).format()),
        List.of("each plugin in a JVM of its own (`isolated`)", Stats.of(times.get(1)).format(),
            Stats.of(isolatedRatio).format()),
        List.of("the same jars loaded in the build's JVM (`inProcess`)", Stats.of(times.get(2)).format(), "1")));
    results.chart("Site of " + pages + " pages, full render", "ms", "shared JVM, fresh host",
        Stats.of(times.get(0)).median());
    results.chart("Site of " + pages + " pages, full render", "ms", "isolated JVMs, fresh host",
        Stats.of(times.get(1)).median());
    results.chart("Site of " + pages + " pages, full render", "ms", "in process, fresh host",
        Stats.of(times.get(2)).median());
  }

  /**
   * One page changed, each build in a fresh JVM: with the plugin JVM kept warm between builds ({@code keepAlive})
   * against the same build without plugins, in alternating order.
   */
  void keptOnePageChanged(List<String> javaCommand) throws Exception {
    Path src = work.resolve("site");
    Path kept = work.resolve("kept");
    List<String> java = new ArrayList<>(javaCommand);
    java.add(1, "-D" + dev.htmlize.engine.KeptPlugins.DIRECTORY_PROPERTY + "=" + kept);
    Path page;
    try (java.util.stream.Stream<Path> files = Files.walk(src)) {
      page = files.filter(f -> f.toString().endsWith(".md")).sorted().findFirst().orElseThrow();
    }
    String original = Files.readString(page);
    List<String> modes = List.of("KEPT", "NONE");
    try {
      // The first build of each renders everything (and launches the kept JVM); the rounds change one page.
      for (String mode : modes) {
        runJava(fresh(java, src, "kept-" + mode, mode), "first render");
      }
      List<List<Double>> times = List.of(new ArrayList<>(), new ArrayList<>());
      List<Double> ratio = new ArrayList<>();
      for (int round = 0; round < Math.max(5, rounds); round++) {
        double[] both = new double[2];
        for (int k = 0; k < 2; k++) {
          int mode = (round + k) % 2;
          Files.writeString(page, original + "\nEdited in round " + round + " for " + modes.get(mode) + ".\n");
          both[mode] = runJava(fresh(java, src, "kept-" + modes.get(mode), modes.get(mode)), "one page changed");
          times.get(mode).add(both[mode]);
        }
        ratio.add(both[0] / both[1]);
      }
      results.paragraph("One page changed, each build in a fresh JVM as a build runs it (" + Math.max(5, rounds)
          + " rounds, alternating): with the four plugins in a plugin JVM kept warm between builds (`keepAlive`) "
          + Stats.of(times.get(0)).format() + " ms; the same build without plugins " + Stats.of(times.get(1)).format()
          + " ms; ratio " + Stats.of(ratio).format() + ".");
      results.chart("One page changed, fresh JVM", "ms", "kept plugin JVM", Stats.of(times.get(0)).median());
      results.chart("One page changed, fresh JVM", "ms", "no plugins", Stats.of(times.get(1)).median());
    } finally {
      Files.writeString(page, original);
      dev.htmlize.engine.KeptPlugins.stopAll(kept, QUIET);
    }
  }

  private List<String> fresh(List<String> javaCommand, Path src, String name, String mode) {
    List<String> command = new ArrayList<>(javaCommand);
    command.addAll(List.of(FreshRender.class.getName(), src.toString(),
        work.resolve("runs").resolve(name).toString(), mode));
    return command;
  }

  /**
   * A fresh JVM's render with the sample plugins run as its argument says ({@code SHARED}, {@code ISOLATED},
   * {@code IN_PROCESS}; {@code KEPT}: shared and kept between builds; {@code NONE}: no plugins): prints its
   * milliseconds.
   */
  public static final class FreshRender {
    public static void main(String[] args) throws Exception {
      String name = args[2];
      RenderRequest.Builder builder = RenderRequest.builder(Path.of(args[0]), Path.of(args[1]),
          Path.of(args[1] + "-work")).layout(new Layout.Default());
      int processes = 0;
      if (!name.equals("NONE")) {
        JavaPlugin.Mode mode = name.equals("KEPT") ? JavaPlugin.Mode.SHARED : JavaPlugin.Mode.valueOf(name);
        withSamplePlugins(builder, mode);
        processes = mode == JavaPlugin.Mode.SHARED ? 1 : mode == JavaPlugin.Mode.ISOLATED ? 4 : 0;
      }
      if (name.equals("KEPT")) {
        builder.keepAlive(new RenderRequest.KeepAlive(java.time.Duration.ofMinutes(10),
            dev.htmlize.engine.KeptPlugins.defaultDirectory()));
      }
      Engine engine = new Engine(QUIET);
      long start = System.nanoTime();
      RenderSummary summary = engine.render(builder.build());
      long elapsed = System.nanoTime() - start;
      int plugins = name.equals("NONE") ? 0 : 4;
      if (summary.plugins() != plugins || summary.processes() != processes || summary.rendered() == 0) {
        throw new IllegalStateException("unexpected render: " + summary.line());
      }
      System.out.println(elapsed / 1e6);
    }
  }

  void noopRebuild(List<String> javaCommand) throws Exception {
    Path src = work.resolve("site");
    RenderRequest request = request(src, "noop", true).build();
    Engine engine = new Engine(QUIET);
    timeRender(engine, request, 4);
    List<Double> warm = new ArrayList<>();
    for (int i = 0; i < Math.max(5, rounds); i++) {
      long start = System.nanoTime();
      RenderSummary summary = engine.render(request);
      warm.add(millis(System.nanoTime() - start));
      if (summary.plugins() != 0 || summary.rendered() != 0 || summary.upToDate() != pages) {
        throw new IllegalStateException("not a no-op: " + summary.line());
      }
    }
    List<Double> cold = new ArrayList<>();
    for (int i = 0; i < Math.max(5, rounds); i++) {
      List<String> command = new ArrayList<>(javaCommand);
      command.addAll(List.of(NoopRebuild.class.getName(), src.toString(), request.outputDirectory().toString(),
          request.workDirectory().toString()));
      cold.add(runJava(command, "no-op rebuild"));
    }
    results.heading("No-op rebuild of the " + pages + "-page site");
    results.paragraph("The same request (four plugins declared) after a full render: every page up to date, no "
        + "plugin started (checked). Time of `Engine.render`, the goal's own work.");
    results.table(List.of("what", "median ms (min–max, n)"), List.of(
        List.of("first build of a fresh JVM (the goal's classes cold)", Stats.of(cold).format()),
        List.of("repeated in a warm JVM", Stats.of(warm).format())));
    results.chart("No-op rebuild, " + pages + " pages", "ms", "fresh JVM", Stats.of(cold).median());
    results.chart("No-op rebuild, " + pages + " pages", "ms", "warm JVM", Stats.of(warm).median());
  }

  void pluginStart() throws Exception {
    int n = Math.max(5, rounds * 2);
    Optional<Path> cds = BenchPlugins.cdsDirectory(true);
    deleteTree(cds.orElseThrow());
    List<Double> noCds = new ArrayList<>();
    List<Double> noCdsExit = new ArrayList<>();
    List<Double> dump = new ArrayList<>();
    List<Double> dumpExit = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    List<Double> warmExit = new ArrayList<>();
    for (Class<? extends Htmlizer> plugin : BenchPlugins.SAMPLES) {
      double[] first = startAndStop(plugin, cds);
      dump.add(first[0]);
      dumpExit.add(first[1]);
    }
    Thread.sleep(1100); // an archive is published once it has been left alone for a second (see ClassDataSharing)
    for (int i = 0; i < n; i++) {
      Class<? extends Htmlizer> plugin = BenchPlugins.SAMPLES.get(i % BenchPlugins.SAMPLES.size());
      double[] off = startAndStop(plugin, Optional.empty());
      noCds.add(off[0]);
      noCdsExit.add(off[1]);
      double[] on = startAndStop(plugin, cds);
      warm.add(on[0]);
      warmExit.add(on[1]);
    }
    List<Double> togetherOff = new ArrayList<>();
    List<Double> togetherOn = new ArrayList<>();
    for (int i = 0; i < Math.max(3, rounds); i++) {
      togetherOff.add(startTogether(Optional.empty()));
      togetherOn.add(startTogether(cds));
    }
    results.heading("Plugin start: launch to ready");
    results.paragraph("`PluginClient.start`: launch the JVM, read the handshake line, connect over the unix socket, "
        + "open the stdio and broker streams, ping. Exit: `close()` (Shutdown, then wait for the process). The "
        + "plugin JVMs run with `-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`; \"CDS\" adds the plugin's class-data "
        + "sharing archive. Cycles through the four sample plugins.");
    Stats together = Stats.of(togetherOn);
    results.table(List.of("what", "launch to ready, median ms (min–max, n)", "exit, median ms (min–max, n)"),
        List.of(
            List.of("one plugin, no CDS", Stats.of(noCds).format(), Stats.of(noCdsExit).format()),
            List.of("one plugin, first launch (dumps its archive at exit)", Stats.of(dump).format(),
                Stats.of(dumpExit).format()),
            List.of("one plugin, CDS", Stats.of(warm).format(), Stats.of(warmExit).format()),
            List.of("four plugins started together, no CDS (until all ready)", Stats.of(togetherOff).format(), ""),
            List.of("four plugins started together, CDS (until all ready)", together.format(), "")));
    results.paragraph("CDS / no CDS, one plugin: " + Stats.number(Stats.of(warm).median()
        / Stats.of(noCds).median()) + " (medians of this run).");
    results.chart("Plugin launch to ready", "ms", "one plugin, no CDS", Stats.of(noCds).median());
    results.chart("Plugin launch to ready", "ms", "one plugin, CDS", Stats.of(warm).median());
    results.chart("Plugin launch to ready", "ms", "four together, no CDS", Stats.of(togetherOff).median());
    results.chart("Plugin launch to ready", "ms", "four together, CDS", together.median());
  }

  private static double[] startAndStop(Class<? extends Htmlizer> plugin, Optional<Path> cds) throws Exception {
    long start = System.nanoTime();
    PluginClient client = PluginClient.start(BenchPlugins.client(plugin, Network.UNIX, cds));
    long ready = System.nanoTime();
    client.close();
    long closed = System.nanoTime();
    return new double[] {millis(ready - start), millis(closed - ready)};
  }

  private static double startTogether(Optional<Path> cds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(BenchPlugins.SAMPLES.size());
    try {
      long start = System.nanoTime();
      List<Future<PluginClient>> clients = new ArrayList<>();
      for (Class<? extends Htmlizer> plugin : BenchPlugins.SAMPLES) {
        clients.add(pool.submit(() -> PluginClient.start(BenchPlugins.client(plugin, Network.UNIX, cds))));
      }
      List<PluginClient> started = new ArrayList<>();
      for (Future<PluginClient> client : clients) {
        started.add(client.get());
      }
      long ready = System.nanoTime();
      started.parallelStream().forEach(PluginClient::close);
      return millis(ready - start);
    } finally {
      pool.shutdownNow();
    }
  }

  void hostMemory(List<String> javaCommand) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    for (int size : List.of(pages / 4, pages, pages * 4)) {
      Path src = work.resolve("memory-" + size);
      SiteGenerator.generate(src, size, 99);
      List<String> command = new ArrayList<>(javaCommand);
      command.add(1, "-XX:+UseSerialGC");
      command.addAll(List.of(HeapProbe.class.getName(), src.toString(), work.resolve("memory-out-" + size)
          .toString()));
      double mb = runJava(command, "heap probe") / 1e6;
      rows.add(List.of(String.valueOf(size), Stats.number(mb)));
      results.chart("Host live heap, most during a render (no plugins)", "MB", size + " pages", mb);
      deleteTree(src);
      deleteTree(work.resolve("memory-out-" + size));
    }
    results.heading("Host memory against the number of pages");
    results.paragraph("A fresh JVM renders generated sites of different sizes without plugins, while a thread "
        + "runs a full collection every 50 ms and reads the heap right after: the figure is the most live data seen. "
        + "Page contents stream through in batches; what stays for the whole build is each page's metadata (its "
        + "Post, which plugins may ask for through the Site service, and its record in the incremental-build state).");
    results.table(List.of("pages", "most live heap, MB"), rows);
  }

  private void clean() throws IOException {
    deleteTree(work.resolve("runs"));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** A fresh JVM's no-op rebuild: prints the milliseconds of {@code Engine.render}. */
  public static final class NoopRebuild {
    public static void main(String[] args) throws Exception {
      RenderRequest request = withSamplePlugins(RenderRequest.builder(Path.of(args[0]), Path.of(args[1]),
          Path.of(args[2]))).build();
      long start = System.nanoTime();
      RenderSummary summary = new Engine(QUIET).render(request);
      long elapsed = System.nanoTime() - start;
      if (summary.plugins() != 0 || summary.rendered() != 0) {
        throw new IllegalStateException("not a no-op: " + summary.line());
      }
      System.out.println(elapsed / 1e6);
    }
  }

  /**
   * Renders a site without plugins and prints the most heap in use after a full collection during the render, in
   * bytes: a thread collects every 50 ms and reads the heap right after, which is the live data at that moment
   * (garbage that merely waits for a collection would make the figure depend on the collector, not on the engine).
   */
  public static final class HeapProbe {
    public static void main(String[] args) throws Exception {
      AtomicLong most = new AtomicLong();
      java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      java.util.concurrent.atomic.AtomicBoolean rendering = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread probe = new Thread(() -> {
        while (rendering.get()) {
          System.gc();
          most.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-probe");
      probe.setDaemon(true);
      probe.start();
      RenderRequest request = RenderRequest.builder(Path.of(args[0]), Path.of(args[1]),
          Path.of(args[1] + "-work")).build();
      new Engine(QUIET).render(request);
      rendering.set(false);
      probe.join();
      System.out.println(most.get());
    }
  }

  /** Samples the peak resident memory (VmHWM) of this JVM's child processes while a render runs. */
  static final class RssSampler {
    private final Map<Long, Long> peaks = new ConcurrentHashMap<>();
    /** Each child's most anonymous resident memory (RssAnon: heap, metaspace, code, stacks, malloc), in kB. */
    private final Map<Long, Long> anonPeaks = new ConcurrentHashMap<>();
    /** Each child's processor time when last seen, in ms, since the last {@link #takeCpuMillis}. */
    private final Map<Long, Double> cpu = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          ProcessHandle.current().children().filter(RssSampler::isPlugin).forEach(child -> {
            peak(child.pid(), "VmHWM:").ifPresent(kb -> peaks.merge(child.pid(), kb, Math::max));
            peak(child.pid(), "RssAnon:").ifPresent(kb -> anonPeaks.merge(child.pid(), kb, Math::max));
            child.info().totalCpuDuration().ifPresent(d -> cpu.merge(child.pid(), d.toNanos() / 1e6, Math::max));
          });
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    Map<Long, Long> peaks() {
      return peaks;
    }

    /** A plugin process, not a child that has not run its program yet (it would show this JVM's memory). */
    private static boolean isPlugin(ProcessHandle child) {
      return child.info().arguments().map(args -> java.util.Arrays.stream(args)
          .anyMatch(arg -> arg.startsWith("dev.htmlize.samples.")
              || arg.equals(dev.htmlize.plugin.SharedPlugins.class.getName()))).orElse(false);
    }

    Map<Long, Long> anonPeaks() {
      return anonPeaks;
    }

    /** The processor time of the children seen since the last call (up to their last sample), in ms. */
    double takeCpuMillis() {
      double sum = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
      cpu.clear();
      return sum;
    }

    private static Optional<Long> peak(long pid, String field) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith(field)) {
            return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
          }
        }
      } catch (IOException | RuntimeException e) {
        // The process ended between listing and reading.
      }
      return Optional.empty();
    }
  }
}
