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
  /** Whether this engine said why there is no sitemap: once, however many times it renders. */
  private final java.util.concurrent.atomic.AtomicBoolean saidNoSiteUrl = new java.util.concurrent.atomic.AtomicBoolean();

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
    return render(request, null);
  }

  /**
   * What a long-lived process keeps between renders of one request (see {@link LiveSite}): the state of the last
   * render, so that the next one does not read it again, and the plugins, which stay running. Used by one thread at a
   * time.
   */
  static final class Session {
    /** The last render's state, or {@code null} before the first: then it is read from the work directory. */
    BuildState state;
    /** The running plugins, or {@code null} until a page needs them (or after they were stopped). */
    PluginManager plugins;
    /** The digest of the site the running plugins were configured with. */
    String configuredWith;
    /** The state to save when the render's pages are out ({@link #saveState}), or {@code null}. */
    BuildState unsaved;
    /** The last scan, or {@code null}: the next render walks the source directory. */
    SourceScan.Sources scanned;
    /**
     * The files known to have been modified since the last scan (relative to the source directory), when nothing else
     * changed; {@code null} when the next render must walk the source directory again (a file came or went).
     */
    java.util.Set<String> modified;

    /** The sources: the last scan with the modified files' stamps read again, or a new walk. */
    SourceScan.Sources sources(RenderRequest request, EngineLog log, Problems problems) throws RenderException {
      if (scanned != null && modified != null) {
        Map<String, FileStamp> pages = new TreeMap<>(scanned.pages());
        Map<String, FileStamp> assets = new TreeMap<>(scanned.assets());
        boolean known = true;
        for (String path : modified) {
          Map<String, FileStamp> map = pages.containsKey(path) ? pages : assets.containsKey(path) ? assets : null;
          FileStamp stamp = FileStamp.of(request.sourceDirectory().resolve(path));
          if (map == null || stamp == null || scanned.pages().get(path) == null && map == pages) {
            known = false;
            break;
          }
          map.put(path, stamp);
        }
        modified = null;
        if (known) {
          scanned = new SourceScan.Sources(pages, assets);
          return scanned;
        }
      }
      modified = null;
      scanned = SourceScan.scan(request, log, problems);
      return scanned;
    }
  }

  /**
   * Saves the state of the session's last render, which it did not save so that its pages were out first: under the
   * execution's lock, as a render saves it.
   */
  void saveState(RenderRequest request, Session session) {
    BuildState state = session.unsaved;
    if (state == null) {
      return;
    }
    session.unsaved = null;
    Path file = request.workDirectory().resolve(BuildState.FILE_NAME);
    try (BuildLock lock = BuildLock.acquire(request.workDirectory(), request.outputDirectory(), log)) {
      lock.writing();
      state.save(file);
    } catch (IOException e) {
      log.warn("cannot save the incremental-build state " + file + ": " + e.getMessage()
          + "; the next build renders every page");
    }
  }

  /** As {@link #render(RenderRequest)}, keeping the state and the plugins in the session, when there is one. */
  RenderSummary render(RenderRequest request, Session session) throws RenderException {
    try {
      OutputWriter.checkApart(request);
      try (BuildLock lock = BuildLock.acquire(request.workDirectory(), request.outputDirectory(), log)) {
        return render(request, lock, session);
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

  private RenderSummary render(RenderRequest request, BuildLock lock, Session session)
      throws RenderException, IOException, InterruptedException {
    long started = System.nanoTime();
    Problems problems = new Problems();
    Path stateFile = request.workDirectory().resolve(BuildState.FILE_NAME);
    // The last build's state is read while the sources are listed: for a build with nothing to do, these two are
    // most of the work.
    BuildState kept = session != null ? session.state : null;
    CompletableFuture<BuildState> loading = kept != null ? CompletableFuture.completedFuture(kept)
        : Parallel.inBackground("htmlize-state", () -> BuildState.load(stateFile));
    SourceScan.Sources sources = session != null ? session.sources(request, log, problems)
        : SourceScan.scan(request, log, problems);
    String fingerprint = ConfigurationFingerprint.of(request);
    Layouts layouts = Layouts.of(request);
    BuildState previous = loading.join();

    SourceReader reader = new SourceReader(request, markups, problems);
    // A session's own last state describes the outputs it wrote: they are not looked at again page by page.
    IncrementalPlan plan = IncrementalPlan.make(request, sources.pages(), previous, fingerprint, reader, problems,
        kept != null && java.nio.file.Files.isDirectory(request.outputDirectory()));
    OutputWriter output = new OutputWriter(request, previous, lock, log, problems);
    int removed = output.removeAll(plan.orphans());
    Map<String, BuildState.Asset> assets = new TreeMap<>();
    int assetsRemoved = copyAssets(sources.assets(), previous, plan.outputs(), output, assets, problems);

    // Plugins take the longest to get ready: they launch while the site is read, if some page is stale for sure.
    boolean withPlugins = !request.plugins().isEmpty();
    boolean running = session != null && session.plugins != null;
    CompletableFuture<PluginManager> launching = withPlugins && plan.anyStale() && !running
        ? Parallel.inBackground("htmlize-plugins", () -> PluginManager.launch(request, log, launcher)) : null;
    PluginManager plugins = null;
    try {
      SiteModel site = SiteModel.read(plan, reader, request.threads(), request.drafts(), problems);
      String siteDigest = site.digest();
      List<Post> published = site.posts();
      TemplateSite templateSite = new TemplateSite(request.siteTitle(), request.siteUrl(),
          SiteOutputs.feedPath(request, sources.assets(), published), published);
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
      int processCount = 0;
      int reusedCount = 0;
      LinkCheck links = new LinkCheck(request);
      if (!rendering.isEmpty()) {
        log.debug("htmlize: " + rendering.size() + " to render: " + IncrementalPlan.reasons(rendering));
        plugins = running ? session.plugins
            : launching != null ? await(launching) : PluginManager.launch(request, log, launcher);
        launching = null;
        if (session != null) {
          // Kept running for the next render; configured again when the site they see changed.
          if (!running || !siteDigest.equals(session.configuredWith)) {
            session.plugins = plugins;
            configure(plugins, site, session);
            session.configuredWith = siteDigest;
          }
          plugins = null;
        } else {
          plugins.configure(site::posts);
        }
        PluginManager using = session != null ? session.plugins : plugins;
        pluginCount = using.size();
        processCount = using.processes();
        reusedCount = using.reusedProcesses();
        new PageRenderer(request, reader, site, using, layouts, templateSite, links, output, log, problems)
            .renderAll(rendering, next);
      }
      removed += removeVanished(problems, plan, previous, next, output);
      Map<String, String> generated = writeSiteOutputs(request, templateSite,
          published.stream().anyMatch(layouts::usesTheme), sources.assets(), previous, output, problems);
      Set<String> pageOutputs = new HashSet<>(plan.outputs().keySet());
      next.values().stream().filter(BuildState.Page::isDraft).forEach(draft -> pageOutputs.remove(draft.outputPath()));
      links.check(pageOutputs, log, problems);

      BuildState state = save(stateFile, previous, fingerprint, siteDigest, request, next,
          output.stillOwned(plan.outputs(), next), assets, generated, lock);
      if (session != null) {
        session.state = state;
      }
      int drafts = (int) next.values().stream().filter(BuildState.Page::isDraft).count();
      RenderSummary summary = new RenderSummary(next.size() - drafts - upToDate, output.written(), upToDate,
          removed, pluginCount, processCount, reusedCount, Duration.ofNanos(System.nanoTime() - started),
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
    if (request.siteUrl().isEmpty() && !site.pages().isEmpty() && !saidNoSiteUrl.getAndSet(true)) {
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

  /** Configures kept plugins; if that fails, they are stopped, and the session launches them again next time. */
  private static void configure(PluginManager plugins, SiteModel site, Session session) throws RenderException {
    try {
      plugins.configure(site::posts);
    } catch (RenderException e) {
      session.plugins = null;
      session.configuredWith = null;
      throw e;
    }
  }

  /**
   * Records what this build did, if it differs from what the last one recorded; the state, as recorded. With no lock
   * (a session's render), it is only made: the session saves it.
   */
  private BuildState save(Path stateFile, BuildState previous, String fingerprint, String siteDigest, RenderRequest request,
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
    if (lock == null) {
      return state; // Saved by the session, once the pages are out.
    }
    try {
      if (!state.sameAs(previous)) {
        lock.writing();
        state.save(stateFile);
      }
    } catch (IOException e) {
      log.warn("cannot save the incremental-build state " + stateFile + ": " + e.getMessage()
          + "; the next build renders every page");
    }
    return state;
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
