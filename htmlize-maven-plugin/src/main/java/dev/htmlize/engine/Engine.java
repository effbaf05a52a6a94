package dev.htmlize.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Renders a source tree into HTML pages, in stages that each page goes through once: the {@link SourceScan} lists the
 * sources; the {@link IncrementalPlan} decides which pages are stale and why; the {@link OutputWriter} removes the
 * pages of deleted sources; the {@link SiteModel} reads every page's Post while the plugins launch; the plugins are
 * configured with the complete site; the {@link PageRenderer} renders the pages to render, batch by batch, and the
 * {@link OutputWriter} writes them; the {@link BuildState} records what was done for the next build. Knows nothing of
 * Maven; one build of an execution runs at a time ({@link BuildLock}).
 */
public final class Engine {
  private final EngineLog log;
  private final PluginLauncher launcher;
  private final MarkupRegistry markups = new MarkupRegistry();

  public Engine(EngineLog log) {
    this(log, PluginLauncher.processes());
  }

  /** An engine that starts plugins with the given launcher (benchmarks compare processes with in-process calls). */
  public Engine(EngineLog log, PluginLauncher launcher) {
    this.log = log;
    this.launcher = launcher;
  }

  /**
   * Renders what needs rendering.
   *
   * @throws RenderException with every problem found (each with its path and line, or its plugin), after every page
   *                         that could be rendered was; each is logged once, at error
   */
  public RenderSummary render(RenderRequest request) throws RenderException {
    try {
      OutputWriter.checkApart(request);
      try (BuildLock lock = BuildLock.acquire(request.workDirectory(), request.outputDirectory(), log)) {
        return render(request, lock);
      } catch (IOException e) {
        throw new RenderException(List.of(new Problem(request.workDirectory().toString(), 0,
            "cannot use the work directory: " + e.getMessage())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RenderException(List.of(new Problem(request.sourceDirectory().toString(), 0, "interrupted")));
      }
    } catch (RenderException e) {
      e.problems().forEach(problem -> log.error(problem.toString()));
      throw e;
    }
  }

  private RenderSummary render(RenderRequest request, BuildLock lock)
      throws RenderException, IOException, InterruptedException {
    long started = System.nanoTime();
    Problems problems = new Problems();
    Path stateFile = request.workDirectory().resolve(BuildState.FILE_NAME);
    // The last build's state is read while the sources are listed: for a build with nothing to do, these two are
    // most of the work.
    CompletableFuture<BuildState> loading = Parallel.inBackground("htmlize-state", () -> BuildState.load(stateFile));
    Map<String, FileStamp> sources = SourceScan.scan(request, log, problems);
    String fingerprint = ConfigurationFingerprint.of(request);
    BuildState previous = loading.join();

    SourceReader reader = new SourceReader(request, markups, problems);
    IncrementalPlan plan = IncrementalPlan.make(request, sources, previous, fingerprint, reader, problems);
    OutputWriter output = new OutputWriter(request, previous, lock, log, problems);
    int removed = output.removeAll(plan.orphans());

    // Plugins take the longest to get ready: they launch while the site is read, if some page is stale for sure.
    boolean withPlugins = !request.plugins().isEmpty();
    CompletableFuture<PluginManager> launching = withPlugins && plan.anyStale()
        ? Parallel.inBackground("htmlize-plugins", () -> PluginManager.launch(request, log, launcher)) : null;
    PluginManager plugins = null;
    try {
      SiteModel site = SiteModel.read(plan, reader, request.threads(), problems);
      String siteDigest = site.digest();
      // A stale page that could not be read is not in the site, and not rendered: its problem is already known.
      List<IncrementalPlan.Page> rendering = plan.rendering(withPlugins && !siteDigest.equals(previous.siteDigest()))
          .stream().filter(page -> site.has(page.source())).toList();

      Map<String, BuildState.Page> next = new TreeMap<>();
      plan.pages().stream().filter(page -> !page.stale()).forEach(page -> next.put(page.source(), page.previous()));
      rendering.forEach(page -> next.remove(page.source()));
      int upToDate = next.size();
      int pluginCount = 0;
      if (!rendering.isEmpty()) {
        log.debug("htmlize: " + rendering.size() + " to render: " + IncrementalPlan.reasons(rendering));
        plugins = launching != null ? await(launching) : PluginManager.launch(request, log, launcher);
        launching = null;
        plugins.configure(site::posts);
        pluginCount = plugins.size();
        new PageRenderer(request, reader, site, plugins, LayoutRenderer.of(request.layout()), output, log, problems)
            .renderAll(rendering, next);
      }
      removed += removeVanished(problems, plan, previous, next, output);

      save(stateFile, previous, fingerprint, siteDigest, request, next, output.stillOwned(plan.outputs(), next),
          lock);
      RenderSummary summary = new RenderSummary(next.size() - upToDate, output.written(), upToDate, removed,
          pluginCount, Duration.ofNanos(System.nanoTime() - started));
      log.info(summary.line());
      if (!problems.isEmpty()) {
        throw new RenderException(problems.sorted());
      }
      return summary;
    } finally {
      if (launching != null) {
        try {
          await(launching).close();
        } catch (RenderException e) {
          // Nothing was rendered with them; the build reports its own problems.
        }
      }
      if (plugins != null) {
        plugins.close();
      }
    }
  }

  /** Removes the previous pages of sources that vanished while this build read them, as for deleted sources. */
  private static int removeVanished(Problems problems, IncrementalPlan plan, BuildState previous,
                                    Map<String, BuildState.Page> next, OutputWriter output) throws IOException {
    Map<String, BuildState.Page> gone = new TreeMap<>();
    for (String source : problems.vanished()) {
      String page = SourceReader.outputPathOf(source);
      if (source.equals(plan.outputs().get(page))) {
        plan.outputs().remove(page);
        next.remove(source);
        BuildState.Page before = previous.pages().get(source);
        if (before != null) {
          gone.put(source, before);
        }
      }
    }
    return output.removeAll(gone);
  }

  /** Records what this build did, if it differs from what the last one recorded. */
  private void save(Path stateFile, BuildState previous, String fingerprint, String siteDigest, RenderRequest request,
                    Map<String, BuildState.Page> next, List<String> stillOwned, BuildLock lock) {
    BuildState state = new BuildState();
    state.fingerprint(fingerprint);
    state.siteDigest(siteDigest);
    state.outputDirectory(request.outputDirectory().toString());
    state.pages().putAll(next);
    state.otherOutputs().addAll(stillOwned);
    try {
      if (!state.sameAs(previous)) {
        lock.writing();
        state.save(stateFile);
      }
    } catch (IOException e) {
      log.warn("cannot save the incremental-build state " + stateFile + ": " + e.getMessage()
          + "; the next build renders every page");
    }
  }

  private static PluginManager await(CompletableFuture<PluginManager> launching) throws RenderException {
    try {
      return launching.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RenderException render) {
        throw render;
      }
      throw e;
    }
  }
}
