package dev.htmlize.engine;

import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Renders a source tree into a site, in stages that each page goes through once: the {@link SourceScan} lists the
 * sources and the assets; the {@link IncrementalPlan} decides which pages are stale and why; the {@link OutputWriter}
 * removes the pages of deleted sources and copies the assets; the {@link SiteModel} reads every page's Post while the
 * plugins launch; the plugins are configured with the complete site; the {@link PageRenderer} renders the pages to
 * render, batch by batch, each in its layout ({@link Layouts}, which see the {@link TemplateSite}), and the
 * {@link OutputWriter} writes them; the {@link SiteOutputs} (stylesheet, sitemap, feed) are written; the
 * {@link LinkCheck} reads the links of the pages rendered; the {@link BuildState} records what was done for the next
 * build. Knows nothing of
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
    SourceScan.Sources sources = SourceScan.scan(request, log, problems);
    String fingerprint = ConfigurationFingerprint.of(request);
    Layouts layouts = Layouts.of(request);
    BuildState previous = loading.join();

    SourceReader reader = new SourceReader(request, markups, problems);
    IncrementalPlan plan = IncrementalPlan.make(request, sources.pages(), previous, fingerprint, reader, problems);
    OutputWriter output = new OutputWriter(request, previous, lock, log, problems);
    int removed = output.removeAll(plan.orphans());
    Map<String, BuildState.Asset> assets = new TreeMap<>();
    int assetsRemoved = copyAssets(sources.assets(), previous, plan.outputs(), output, assets, problems);

    // Plugins take the longest to get ready: they launch while the site is read, if some page is stale for sure.
    boolean withPlugins = !request.plugins().isEmpty();
    CompletableFuture<PluginManager> launching = withPlugins && plan.anyStale()
        ? Parallel.inBackground("htmlize-plugins", () -> PluginManager.launch(request, log, launcher)) : null;
    PluginManager plugins = null;
    try {
      SiteModel site = SiteModel.read(plan, reader, request.threads(), request.drafts(), problems);
      String siteDigest = site.digest();
      List<Post> published = site.posts();
      TemplateSite templateSite = new TemplateSite(request.siteTitle(), request.siteUrl(),
          SiteOutputs.feedPath(request, sources.assets()), published);
      // When the site changed (a title, a date, a page come or gone), the pages that may show it render again.
      boolean siteChanged = !siteDigest.equals(previous.siteDigest())
          && (withPlugins || published.stream().anyMatch(layouts::readsTheSite));
      Map<String, BuildState.Page> next = new TreeMap<>();
      plan.pages().stream().filter(page -> !page.stale()).forEach(page -> next.put(page.source(), page.previous()));
      List<IncrementalPlan.Page> rendering = new ArrayList<>();
      // A stale page that could not be read is not in the site, and not rendered: its problem is already known.
      for (IncrementalPlan.Page page : plan.rendering(siteChanged)) {
        if (!site.has(page.source())) {
          next.remove(page.source());
        } else if (site.leftOut(page.source())) {
          removed += leaveOut(page, site, previous, next, output);
        } else {
          next.remove(page.source());
          rendering.add(page);
        }
      }
      int upToDate = (int) next.values().stream().filter(page -> !page.isDraft()).count();
      int pluginCount = 0;
      LinkCheck links = new LinkCheck(request);
      if (!rendering.isEmpty()) {
        log.debug("htmlize: " + rendering.size() + " to render: " + IncrementalPlan.reasons(rendering));
        plugins = launching != null ? await(launching) : PluginManager.launch(request, log, launcher);
        launching = null;
        plugins.configure(site::posts);
        pluginCount = plugins.size();
        new PageRenderer(request, reader, site, plugins, layouts, templateSite, links, output, log, problems)
            .renderAll(rendering, next);
      }
      removed += removeVanished(problems, plan, previous, next, output);
      Map<String, String> generated = writeSiteOutputs(request, templateSite,
          published.stream().anyMatch(layouts::usesTheme), sources.assets(), previous, output, problems);
      Set<String> pageOutputs = new HashSet<>(plan.outputs().keySet());
      next.values().stream().filter(BuildState.Page::isDraft).forEach(draft -> pageOutputs.remove(draft.outputPath()));
      links.check(pageOutputs, log, problems);

      save(stateFile, previous, fingerprint, siteDigest, request, next, output.stillOwned(plan.outputs(), next),
          assets, generated, lock);
      int drafts = (int) next.values().stream().filter(BuildState.Page::isDraft).count();
      RenderSummary summary = new RenderSummary(next.size() - drafts - upToDate, output.written(), upToDate,
          removed, pluginCount, Duration.ofNanos(System.nanoTime() - started),
          new RenderSummary.Assets(assets.size(), output.copiedAssets(), assetsRemoved), drafts);
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

  /**
   * Leaves a draft out: it is recorded as such, and the page it had when it was not a draft is removed.
   *
   * @return how many pages were removed
   */
  private static int leaveOut(IncrementalPlan.Page page, SiteModel site, BuildState previous,
                              Map<String, BuildState.Page> next, OutputWriter output) throws IOException {
    next.put(page.source(), BuildState.Page.draft(page.digest(), site.post(page.source()).orElseThrow(),
        page.stamp()));
    BuildState.Page before = previous.pages().get(page.source());
    return before != null && !before.isDraft() ? output.removeAll(Map.of(page.source(), before)) : 0;
  }

  /**
   * Copies the assets, and removes the copies of those that are gone; each asset's record goes in {@code next}.
   *
   * @return how many copies were removed
   */
  private static int copyAssets(Map<String, FileStamp> assets, BuildState previous, Map<String, String> pages,
                                OutputWriter output, Map<String, BuildState.Asset> next, Problems problems) {
    for (Map.Entry<String, FileStamp> asset : assets.entrySet()) {
      String path = asset.getKey();
      BuildState.Asset recorded = previous.assets().get(path);
      if (pages.containsKey(path)) {
        problems.add(new Problem(path, 0, "both the page of " + pages.get(path) + " and this file would be " + path
            + " in the output directory; rename one, or leave the file out with assetExcludes"));
      } else {
        output.copy(path, asset.getValue(), recorded).ifPresent(copied -> next.put(path, copied));
      }
      if (!next.containsKey(path) && recorded != null && !problems.vanished().contains(path)) {
        next.put(path, recorded); // It failed: its last copy stays, and is still this build's to replace.
      }
    }
    int removed = 0;
    for (Map.Entry<String, BuildState.Asset> copied : previous.assets().entrySet()) {
      if (!next.containsKey(copied.getKey()) && output.removeAsset(copied.getKey(), copied.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Writes the files of the site's own (the theme's stylesheet, the sitemap, the feed), and removes those the build no
   * longer writes; when the build has problems, the sitemap and feed of the last build are left as they were.
   *
   * @return what was written, by path, with its digest
   */
  private Map<String, String> writeSiteOutputs(RenderRequest request, TemplateSite site, boolean themeUsed,
                                               Map<String, FileStamp> assets, BuildState previous,
                                               OutputWriter output, Problems problems) {
    Map<String, String> generated = new TreeMap<>();
    boolean failed = !problems.isEmpty();
    if (request.siteUrl().isEmpty() && !site.pages().isEmpty()) {
      log.info("htmlize: no sitemap.xml and no feed.xml: they need the site's address (siteUrl)");
    }
    SiteOutputs.of(request, site, themeUsed, assets, log).forEach((path, bytes) -> {
      // A build with problems leaves the last sitemap and feed as they were; the stylesheet is the theme's alone.
      if (failed && !path.equals(SiteOutputs.STYLESHEET)) {
        Optional.ofNullable(previous.generated().get(path)).ifPresent(digest -> generated.put(path, digest));
      } else {
        output.writeGenerated(path, bytes).ifPresent(digest -> generated.put(path, digest));
      }
    });
    previous.generated().forEach((path, digest) -> {
      if (!generated.containsKey(path) && !assets.containsKey(path)) {
        output.removeGenerated(path, digest);
      }
    });
    return generated;
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
                    Map<String, BuildState.Page> next, List<String> stillOwned, Map<String, BuildState.Asset> assets,
                    Map<String, String> generated, BuildLock lock) {
    BuildState state = new BuildState();
    state.fingerprint(fingerprint);
    state.siteDigest(siteDigest);
    state.outputDirectory(request.outputDirectory().toString());
    state.pages().putAll(next);
    state.otherOutputs().addAll(stillOwned);
    state.assets().putAll(assets);
    state.generated().putAll(generated);
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
