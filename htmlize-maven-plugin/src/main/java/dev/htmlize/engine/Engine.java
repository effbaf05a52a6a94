package dev.htmlize.engine;

import dev.htmlize.engine.FrontMatter.FrontMatterException;
import dev.htmlize.engine.PluginEndpoint.Answer;
import dev.htmlize.engine.PluginEndpoint.ContentsCall;
import dev.htmlize.engine.PluginEndpoint.RolesCall;
import dev.htmlize.engine.PluginManager.PluginCallException;
import dev.htmlize.engine.SourceText.MalformedSourceException;
import dev.htmlize.engine.markup.MarkdownMarkup;
import dev.htmlize.engine.markup.Markup;
import dev.htmlize.engine.markup.MarkupDocument;
import dev.htmlize.engine.markup.TextMarkup;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders a source tree into HTML pages: {@code read → front matter → Post → markup → roles → contents hooks →
 * layout → write}, pages in parallel, plugins started only when some page needs rendering. Knows nothing of Maven.
 */
public final class Engine {
  /** Bumped when the engine's output for the same input changes, so that every page renders again. */
  private static final String ENGINE_FINGERPRINT = "htmlize-engine-1";
  private static final String STATE_FILE = "htmlize-state.json";
  /**
   * How many bytes of changed sources stay in memory, parsed, between reading the site and rendering it; the others
   * are read and parsed again when their turn comes (a parsed page takes several times its size).
   */
  private static final long KEEP_BUDGET = 4L << 20;

  private final EngineLog log;
  private final PluginLauncher launcher;
  /** Markup parsers, made on first use: a build with nothing to render loads none of their classes. */
  private volatile Markup markdown;
  private volatile Markup text;

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
   *                         that could be rendered was
   */
  public RenderSummary render(RenderRequest request) throws RenderException {
    try {
      checkDirectories(request);
      try (BuildLock lock = BuildLock.acquire(request.workDirectory(), request.outputDirectory(), log)) {
        return render(request, lock);
      } catch (IOException e) {
        throw new RenderException(List.of(new Problem(request.workDirectory().toString(), 0,
            "cannot use the work directory: " + e.getMessage())));
      }
    } catch (RenderException e) {
      // The one place problems are logged: each once, whichever stage found it.
      e.problems().forEach(problem -> log.error(problem.toString()));
      throw e;
    }
  }

  private RenderSummary render(RenderRequest request, BuildLock lock) throws RenderException, IOException {
    long started = System.nanoTime();
    Problems problems = new Problems();
    // The last build's state is read while the source tree is walked: for a build with nothing to do, these two are
    // most of the work.
    Path stateFile = request.workDirectory().resolve(STATE_FILE);
    CompletableFuture<BuildState> loading = inBackground("htmlize-state", () -> BuildState.load(stateFile));
    Map<String, FileStamp> sources = SourceScan.scan(request, log, problems);
    String fingerprint = fingerprint(request);
    BuildState previous = loading.join();
    boolean configurationChanged = !fingerprint.equals(previous.fingerprint());
    boolean withPlugins = !request.plugins().isEmpty();

    // 1. Find what changed. A page whose source and output have the size and modification time recorded last time
    //    (or, when those differ, the same digests) and whose configuration is the same keeps its record. The
    //    contents of changed sources are kept for rendering up to a budget (4 MB); past it they are read again when
    //    their turn comes, so that memory does not grow with the size of the site.
    Map<String, String> outputs = new HashMap<>();
    List<Page> pages = new ArrayList<>();
    long kept = 0;
    for (Map.Entry<String, FileStamp> scanned : sources.entrySet()) {
      String source = scanned.getKey();
      String output = outputPathOf(source);
      String clash = outputs.put(output, source);
      if (clash != null) {
        problems.add(new Problem(source, 0, "both " + clash + " and " + source + " would become " + output
            + "; rename one or exclude it"));
        continue;
      }
      BuildState.Page before = configurationChanged ? null : previous.pages().get(source);
      if (before != null && before.post() == null) {
        before = null;
      }
      FileStamp stamp = scanned.getValue();
      if (stamp != null && tooLarge(request, source, stamp.size(), problems)) {
        continue;
      }
      if (before != null && stamp != null && stamp.matches(before.sourceSize(), before.sourceModified())
          && outputStamped(request, before)) {
        pages.add(new Page(source, output, null, before.sourceDigest(), stamp, before));
        continue;
      }
      SourceBytes read = read(request, source, problems);
      if (read.gone()) {
        // Deleted since the walk listed it: as for any deleted source, its page goes.
        outputs.remove(output);
        continue;
      }
      byte[] bytes = read.bytes();
      if (bytes == null) {
        continue;
      }
      String digest = sha256(bytes);
      if (before != null && before.sourceDigest().equals(digest) && outputIntact(request, before)) {
        pages.add(new Page(source, output, null, digest, stamp, before.withStamps(stamp,
            FileStamp.of(request.outputDirectory().resolve(before.outputPath())))));
        continue;
      }
      boolean keep = kept + bytes.length <= KEEP_BUDGET;
      kept += keep ? bytes.length : 0;
      pages.add(new Page(source, output, keep ? bytes : null, digest, stamp, null));
    }
    Set<String> owned = previous.ownedOutputs();
    int removed = removeOrphans(request, previous, outputs, lock, problems);

    CompletableFuture<List<Post>> site = new CompletableFuture<>();
    CompletableFuture<PluginManager> starting = null;
    PluginManager manager = null;
    try {
      // Plugins take the longest to get ready: start them now if some page will render for sure.
      if (withPlugins && pages.stream().anyMatch(page -> page.previous() == null)) {
        starting = startPlugins(request, site);
      }
      // 2. Every page's Post, before any page renders, so that plugins see the whole site.
      List<Prepared> stale = prepareAll(request, pages.stream().filter(page -> page.previous() == null).toList(),
          problems);
      List<Post> posts = sitePosts(pages, stale);
      String siteDigest = siteDigest(posts);
      if (withPlugins && !siteDigest.equals(previous.siteDigest())) {
        // A page's title or metadata changed, or a page came or went: what plugins render from the site may differ.
        List<Page> others = new ArrayList<>();
        for (Page page : pages) {
          if (page.previous() != null) {
            others.add(new Page(page.source(), page.output(), null, page.digest(), page.stamp(), null));
          }
        }
        stale = new ArrayList<>(stale);
        stale.addAll(prepareAll(request, others, problems));
        posts = sitePosts(pages, stale);
        siteDigest = siteDigest(posts);
      }
      site.complete(posts);

      // 3. Render what is stale.
      TreeMap<String, BuildState.Page> next = new TreeMap<>();
      Map<String, Prepared> staleBySource = new HashMap<>();
      stale.forEach(p -> staleBySource.put(p.page().source(), p));
      for (Page page : pages) {
        if (page.previous() != null && !staleBySource.containsKey(page.source())) {
          next.put(page.source(), page.previous());
        }
      }
      int upToDate = next.size();
      AtomicInteger written = new AtomicInteger();
      int plugins = 0;
      if (!stale.isEmpty()) {
        LayoutRenderer layout = LayoutRenderer.of(request.layout());
        manager = starting != null ? awaitPlugins(starting) : PluginManager.start(request, log, launcher, site::join);
        starting = null;
        plugins = manager.size();
        lock.writing();
        renderAll(request, stale, manager, layout, owned, problems, next, written);
        removed += removeVanished(request, previous, outputs, next, lock, problems);
      }
      BuildState state = new BuildState();
      state.fingerprint(fingerprint);
      state.siteDigest(siteDigest);
      state.outputDirectory(request.outputDirectory().toString());
      state.pages().putAll(next);
      state.otherOutputs().addAll(stillOwned(request, owned, outputs, next));
      try {
        if (!state.sameAs(previous)) {
          lock.writing();
          state.save(stateFile);
        }
      } catch (IOException e) {
        log.warn("cannot save the incremental-build state " + stateFile + ": " + e.getMessage()
            + "; the next build renders every page");
      }
      int failedPages = stale.size() - (next.size() - upToDate);
      RenderSummary summary = new RenderSummary(stale.size() - failedPages, written.get(), upToDate, removed,
          plugins, Duration.ofNanos(System.nanoTime() - started));
      log.info(summary.line());
      if (!problems.isEmpty()) {
        throw new RenderException(problems.sorted());
      }
      return summary;
    } finally {
      site.completeExceptionally(new IllegalStateException("the build stopped before every page was read"));
      if (starting != null) {
        try {
          awaitPlugins(starting).close();
        } catch (RenderException e) {
          // Nothing was rendered with them; the build reports its own problems.
        }
      }
      if (manager != null) {
        manager.close();
      }
    }
  }

  /**
   * Refuses an output directory that is, or is inside, or holds the source directory (symbolic links resolved):
   * pages would be written among the sources, over hand-written files, and read back as sources.
   */
  private static void checkDirectories(RenderRequest request) throws RenderException {
    Path source = resolved(request.sourceDirectory());
    Path output = resolved(request.outputDirectory());
    String overlap = output.equals(source) ? "is the source directory"
        : output.startsWith(source) ? "is inside the source directory " + request.sourceDirectory()
        : source.startsWith(output) ? "holds the source directory " + request.sourceDirectory() : null;
    if (overlap != null) {
      throw new RenderException(List.of(new Problem(request.outputDirectory().toString(), 0, "the output directory "
          + overlap + "; pages would be written among the sources. Give them directories apart (by default "
          + "src/main/htmlize and target/generated-resources/htmlize)")));
    }
  }

  /** A path with the symbolic links of its existing part resolved. */
  private static Path resolved(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(path)).normalize();
    } catch (IOException e) {
      return path;
    }
  }

  /**
   * A source's bytes: {@code null} when it cannot be read or is over maxSourceSize (a problem says why), {@code gone}
   * when it was deleted after the walk listed it.
   */
  private record SourceBytes(byte[] bytes, boolean gone) {
  }

  private static SourceBytes read(RenderRequest request, String source, Problems problems) {
    try {
      Path file = request.sourceDirectory().resolve(source);
      if (tooLarge(request, source, Files.size(file), problems)) {
        return new SourceBytes(null, false);
      }
      return new SourceBytes(Files.readAllBytes(file), false);
    } catch (NoSuchFileException e) {
      problems.vanished(source);
      return new SourceBytes(null, true);
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot read: " + e.getMessage()));
      return new SourceBytes(null, false);
    } catch (OutOfMemoryError e) {
      problems.add(new Problem(source, 0, "cannot read: it does not fit in the build's memory; give Maven more "
          + "(MAVEN_OPTS=-Xmx2g, say) or lower maxSourceSize"));
      return new SourceBytes(null, false);
    }
  }

  private static boolean tooLarge(RenderRequest request, String source, long size, Problems problems) {
    if (size <= request.maxSourceSize()) {
      return false;
    }
    problems.add(new Problem(source, 0, size + " bytes, more than maxSourceSize (" + request.maxSourceSize()
        + " bytes); exclude it, split it, or raise maxSourceSize"));
    return true;
  }

  private CompletableFuture<PluginManager> startPlugins(RenderRequest request, CompletableFuture<List<Post>> site) {
    return inBackground("htmlize-plugins", () -> PluginManager.start(request, log, launcher, site::join));
  }

  /** Work on a daemon thread of its own; its result, or what it threw, comes through the future. */
  private static <T> CompletableFuture<T> inBackground(String name, java.util.concurrent.Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(work.call());
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  private static PluginManager awaitPlugins(CompletableFuture<PluginManager> starting) throws RenderException {
    try {
      return starting.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RenderException render) {
        throw render;
      }
      throw e;
    }
  }

  /** Every readable page's Post: from the last build's record if the page is unchanged, else freshly read. */
  private static List<Post> sitePosts(List<Page> pages, List<Prepared> prepared) {
    Map<String, Post> fresh = new HashMap<>();
    prepared.forEach(p -> fresh.put(p.page().source(), p.post()));
    List<Post> posts = new ArrayList<>();
    for (Page page : pages) {
      Post post = fresh.get(page.source());
      if (post == null && page.previous() != null) {
        post = page.previous().post();
      }
      if (post != null) {
        posts.add(post);
      }
    }
    return List.copyOf(posts);
  }

  private static String siteDigest(List<Post> posts) {
    StringBuilder text = new StringBuilder();
    for (Post post : posts) {
      text.append(post.id()).append('\0').append(post.author()).append('\0').append(post.title()).append('\0')
          .append(post.sourcePath()).append('\0').append(post.outputPath()).append('\0').append(post.date())
          .append('\0').append(post.tags()).append('\0').append(new TreeMap<>(post.metadata())).append('\n');
    }
    return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads front matter and parses the markup of each page, in parallel; a page that fails is a problem. */
  private List<Prepared> prepareAll(RenderRequest request, List<Page> pages, Problems problems)
      throws RenderException {
    List<Optional<Prepared>> results = inParallel(request, pages, page -> prepare(request, page, problems));
    return results.stream().flatMap(Optional::stream).toList();
  }

  private <T> List<T> inParallel(RenderRequest request, List<Page> pages,
                                 java.util.function.Function<Page, T> work) throws RenderException {
    if (pages.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.threads(), pages.size()), runnable -> {
      Thread thread = new Thread(runnable, "htmlize-read");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Page page : pages) {
        futures.add(pool.submit(() -> work.apply(page)));
      }
      List<T> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (ExecutionException e) {
          throw new RenderException(List.of(new Problem(pages.get(i).source(), 0, "internal error: "
              + e.getCause())));
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(List.of(new Problem(request.sourceDirectory().toString(), 0, "interrupted")));
    } finally {
      pool.shutdownNow();
    }
  }

  private Optional<Prepared> prepare(RenderRequest request, Page page, Problems problems) {
    boolean keep = page.bytes() != null;
    Optional<Parsed> parsed = parse(request, page, problems);
    return parsed.map(p -> new Prepared(page, keep ? p.document() : null, p.post()));
  }

  /** A page's front matter, markup and Post. */
  private record Parsed(MarkupDocument document, Post post) {
  }

  private Optional<Parsed> parse(RenderRequest request, Page page, Problems problems) {
    String source = page.source();
    byte[] bytes = page.bytes() != null ? page.bytes() : read(request, source, problems).bytes();
    if (bytes == null) {
      return Optional.empty();
    }
    if (SourceText.looksBinary(bytes)) {
      problems.add(new Problem(source, 0, "looks like a binary file (it has NUL bytes), not markup; exclude it"));
      return Optional.empty();
    }
    FrontMatter front;
    try {
      front = FrontMatter.read(SourceText.decode(bytes, request.encoding()), source);
    } catch (MalformedSourceException e) {
      problems.add(new Problem(source, e.line(), e.getMessage()));
      return Optional.empty();
    } catch (FrontMatterException e) {
      problems.add(new Problem(source, e.line(), e.getMessage()));
      return Optional.empty();
    }
    MarkupDocument document;
    try {
      document = markupOf(source).parse(front.body(), front.bodyLine());
    } catch (StackOverflowError e) {
      problems.add(new Problem(source, 0, "the markup nests too deeply to render"));
      return Optional.empty();
    }
    String title = front.title().or(document::firstHeading).orElse(stem(source));
    Post post = new Post(pageId(source), front.author().orElse(request.defaultAuthor()), title, source,
        page.output(), front.date(), front.tags(), front.metadata());
    return Optional.of(new Parsed(document, post));
  }

  /**
   * Renders the stale pages in batches, batches in parallel: each plugin gets one call per batch, however many of the
   * batch's pages it has work for.
   */
  private void renderAll(RenderRequest request, List<Prepared> stale, PluginManager manager, LayoutRenderer layout,
                         Set<String> owned, Problems problems, Map<String, BuildState.Page> next,
                         AtomicInteger written) throws RenderException {
    List<List<Prepared>> batches = batches(stale, request.threads());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.threads(), batches.size()), runnable -> {
      Thread thread = new Thread(runnable, "htmlize-render");
      thread.setDaemon(true);
      return thread;
    });
    AtomicInteger done = new AtomicInteger();
    int step = Math.max(100, stale.size() / 4);
    try {
      List<Future<List<Optional<BuildState.Page>>>> futures = new ArrayList<>();
      for (List<Prepared> batch : batches) {
        futures.add(pool.submit(() -> {
          List<Optional<BuildState.Page>> results = renderBatch(request, batch, manager, layout, owned, problems,
              written);
          int before = done.getAndAdd(batch.size());
          int count = before + batch.size();
          if (stale.size() >= 200 && count / step > before / step && count < stale.size()) {
            log.info("htmlize: rendered " + count + " of " + stale.size() + " pages");
          }
          return results;
        }));
      }
      for (int b = 0; b < futures.size(); b++) {
        List<Prepared> batch = batches.get(b);
        try {
          List<Optional<BuildState.Page>> results = futures.get(b).get();
          for (int i = 0; i < batch.size(); i++) {
            String source = batch.get(i).page().source();
            results.get(i).ifPresent(entry -> next.put(source, entry));
          }
        } catch (ExecutionException e) {
          String message = e.getCause() instanceof OutOfMemoryError
              ? "the page does not fit in the build's memory (" + e.getCause() + "); give Maven more heap "
                  + "(MAVEN_OPTS=-Xmx2g, say) or render fewer pages at once (threads)"
              : "internal error: " + e.getCause();
          batch.forEach(page -> problems.add(new Problem(page.page().source(), 0, message)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(List.of(new Problem(request.sourceDirectory().toString(), 0, "interrupted")));
    } finally {
      pool.shutdownNow();
    }
  }

  /** At most this many pages render together (one plugin call per plugin for all of them). */
  private static final int BATCH_PAGES = 64;
  /** A batch holds at most about this many bytes of sources, unless one page is larger. */
  private static final long BATCH_BYTES = 1L << 20;

  /**
   * Groups pages into batches: small enough that every render thread gets about two and that a batch's pages fit in
   * memory together, large enough that each plugin call carries many pages.
   */
  private static List<List<Prepared>> batches(List<Prepared> stale, int threads) {
    int size = Math.max(1, Math.min(BATCH_PAGES, (stale.size() + 2 * threads - 1) / (2 * threads)));
    List<List<Prepared>> batches = new ArrayList<>();
    List<Prepared> batch = new ArrayList<>();
    long bytes = 0;
    for (Prepared page : stale) {
      long pageBytes = page.page().stamp() != null ? page.page().stamp().size() : 0;
      if (!batch.isEmpty() && (batch.size() >= size || bytes + pageBytes > BATCH_BYTES)) {
        batches.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(page);
      bytes += pageBytes;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /** Renders and writes a batch of pages; one result per page, in order, empty for a page that failed. */
  private List<Optional<BuildState.Page>> renderBatch(RenderRequest request, List<Prepared> batch,
                                                      PluginManager manager, LayoutRenderer layout,
                                                      Set<String> owned, Problems problems,
                                                      AtomicInteger written) {
    List<Optional<BuildState.Page>> results = new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty()));
    // 1. The markup of each page (parsed again if it was not kept), and its roles, each known to some plugin.
    List<Integer> live = new ArrayList<>();
    List<MarkupDocument> documents = new ArrayList<>(Collections.nCopies(batch.size(), null));
    List<RolesCall> roleCalls = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Prepared prepared = batch.get(i);
      MarkupDocument document = prepared.document();
      if (document == null) {
        Optional<Parsed> again = parse(request, prepared.page(), problems);
        if (again.isEmpty()) {
          continue;
        }
        document = again.get().document();
      }
      if (unknownRolesFail(request, prepared.page().source(), document.roles(), manager, problems)) {
        continue;
      }
      live.add(i);
      documents.set(i, document);
      roleCalls.add(new RolesCall(prepared.post(), document.roles()));
    }
    // 2. Roles: one call per plugin for the whole batch; then each page's body.
    List<Answer<List<String>>> roleHtml = manager.resolveRoles(roleCalls);
    List<Integer> rendered = new ArrayList<>();
    List<ContentsCall> contentsCalls = new ArrayList<>();
    for (int k = 0; k < live.size(); k++) {
      int i = live.get(k);
      Answer<List<String>> answer = roleHtml.get(k);
      if (!answer.ok()) {
        problems.add(pluginProblem(batch.get(i), documents.get(i), answer.failure()));
        continue;
      }
      String body;
      try {
        body = documents.get(i).render(answer.value());
      } catch (RuntimeException | StackOverflowError e) {
        problems.add(new Problem(batch.get(i).page().source(), 0, "internal error: " + e));
        continue;
      }
      rendered.add(i);
      contentsCalls.add(new ContentsCall(batch.get(i).post(), body));
    }
    // 3. Contents hooks, one call per plugin for the whole batch; then the layout, and the file.
    List<Answer<String>> bodies = manager.processContents(contentsCalls);
    for (int k = 0; k < rendered.size(); k++) {
      int i = rendered.get(k);
      Prepared prepared = batch.get(i);
      Answer<String> body = bodies.get(k);
      if (!body.ok()) {
        problems.add(pluginProblem(prepared, documents.get(i), body.failure()));
        continue;
      }
      String html;
      try {
        html = layout.apply(body.value(), prepared.post());
      } catch (RuntimeException | StackOverflowError e) {
        problems.add(new Problem(prepared.page().source(), 0, "internal error: " + e));
        continue;
      }
      results.set(i, write(request, prepared, html, owned, problems, written));
    }
    return results;
  }

  /** Reports roles no plugin registers; whether that fails the page (failOnUnknownRole). */
  private boolean unknownRolesFail(RenderRequest request, String source, List<RoleOccurrence> roles,
                                   PluginManager manager, Problems problems) {
    boolean fails = false;
    for (RoleOccurrence role : roles) {
      if (!manager.handles(role.role())) {
        String message = "unknown role :" + role.role() + ": (no plugin registers role:" + role.role()
            + "); left as written";
        if (request.failOnUnknownRole()) {
          problems.add(new Problem(source, role.line(), message));
          fails = true;
        } else {
          log.warn(source + ":" + role.line() + ": " + message);
        }
      }
    }
    return fails;
  }

  /** A plugin's failure on a page, at the occurrence it named, else at the page's first role. */
  private static Problem pluginProblem(Prepared prepared, MarkupDocument document, PluginCallException e) {
    List<RoleOccurrence> roles = document.roles();
    int line = e.occurrence().map(RoleOccurrence::line).orElse(roles.isEmpty() ? 0 : roles.get(0).line());
    return new Problem(prepared.page().source(), line, e.getMessage());
  }

  private Optional<BuildState.Page> write(RenderRequest request, Prepared prepared, String html,
                                          Set<String> owned, Problems problems, AtomicInteger written) {
    Page page = prepared.page();
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    try {
      Path target = OutputFiles.resolveInside(request.outputDirectory(), page.output());
      if (!owned.contains(page.output()) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
          && !OutputFiles.holds(target, bytes)) {
        if (!request.force()) {
          problems.add(new Problem(page.source(), 0, notOurs(request, page.output())));
          return Optional.empty();
        }
        log.warn("htmlize: " + page.output() + " was not written by htmlize; overwriting it (force is on)");
      }
      if (OutputFiles.writeIfChanged(target, bytes)) {
        written.incrementAndGet();
      }
    } catch (IOException e) {
      problems.add(new Problem(page.source(), 0, "cannot write " + page.output() + ": " + e.getMessage()));
      return Optional.empty();
    }
    return Optional.of(new BuildState.Page(page.digest(), page.output(), sha256(bytes), prepared.post())
        .withStamps(page.stamp(), FileStamp.of(request.outputDirectory().resolve(page.output()))));
  }

  /**
   * Why a file in the output directory is not overwritten: it is not this execution's. Names the execution that wrote
   * it, if another one of the project did (their work directories are siblings).
   */
  private static String notOurs(RenderRequest request, String output) {
    String message = "the output directory already has " + output + ", which this execution ("
        + request.workDirectory().getFileName() + ") did not write; refusing to overwrite it.";
    Path siblings = request.workDirectory().getParent();
    if (siblings != null) {
      try (java.util.stream.Stream<Path> dirs = Files.list(siblings)) {
        for (Path dir : dirs.filter(d -> !d.equals(request.workDirectory())).sorted().toList()) {
          BuildState other = BuildState.load(dir.resolve(STATE_FILE));
          if (other.outputDirectory().equals(request.outputDirectory().toString())
              && other.ownedOutputs().contains(output)) {
            return message + " Execution " + dir.getFileName() + " writes it: two executions share the output "
                + "directory " + request.outputDirectory() + "; give each its own outputDirectory";
          }
        }
      } catch (IOException e) {
        // No sibling to name.
      }
    }
    return message + " Move it away, choose another outputDirectory, or set force to let htmlize overwrite files "
        + "it did not write";
  }

  private Markup markupOf(String source) {
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".txt")) {
      Markup markup = text;
      if (markup == null) {
        synchronized (this) {
          markup = text == null ? (text = new TextMarkup()) : text;
        }
      }
      return markup;
    }
    Markup markup = markdown;
    if (markup == null) {
      synchronized (this) {
        markup = markdown == null ? (markdown = new MarkdownMarkup()) : markdown;
      }
    }
    return markup;
  }

  /** Removes the pages of deleted sources (unless edited since they were written, which the user may want). */
  private int removeOrphans(RenderRequest request, BuildState previous, Map<String, String> outputs, BuildLock lock,
                            Problems problems) throws IOException {
    Set<String> sources = new HashSet<>(outputs.values());
    int removed = 0;
    for (Map.Entry<String, BuildState.Page> entry : previous.pages().entrySet()) {
      if (sources.contains(entry.getKey()) || outputs.containsKey(entry.getValue().outputPath())) {
        continue;
      }
      if (removeOwnOutput(request, entry.getKey(), entry.getValue(), lock, problems)) {
        removed++;
      }
    }
    return removed;
  }

  /** Removes the previous pages of sources that vanished while this build read them, as for deleted sources. */
  private int removeVanished(RenderRequest request, BuildState previous, Map<String, String> outputs,
                             Map<String, BuildState.Page> next, BuildLock lock, Problems problems) throws IOException {
    int removed = 0;
    for (String source : problems.vanished()) {
      String output = outputPathOf(source);
      if (!source.equals(outputs.get(output))) {
        continue;
      }
      outputs.remove(output);
      next.remove(source);
      BuildState.Page before = previous.pages().get(source);
      if (before != null && removeOwnOutput(request, source, before, lock, problems)) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Deletes a page this execution wrote, if it still holds what was written; one changed since is left where it is,
   * with a warning, and is no longer this execution's.
   */
  private boolean removeOwnOutput(RenderRequest request, String source, BuildState.Page page, BuildLock lock,
                                  Problems problems) throws IOException {
    Path output;
    try {
      output = OutputFiles.resolveInside(request.outputDirectory(), page.outputPath());
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot remove the page of a deleted source: " + e.getMessage()));
      return false;
    }
    if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!outputStamped(request, page) && !outputIntact(request, page)) {
      log.warn("htmlize: " + page.outputPath() + " is left in place: its source " + source + " is gone, but the file "
          + "was changed since htmlize wrote it; delete it if it is not needed");
      return false;
    }
    lock.writing();
    try {
      Files.delete(output);
      log.debug("removed " + page.outputPath() + ": its source " + source + " is gone");
      return true;
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot remove the page of a deleted source: " + e.getMessage()));
      return false;
    }
  }

  /**
   * The outputs this execution still owns that no page record of the next state names: those of pages that failed
   * this time (their previous page is left as it was, and is still this execution's to replace).
   */
  private static List<String> stillOwned(RenderRequest request, Set<String> owned,
                                         Map<String, String> outputs, Map<String, BuildState.Page> next) {
    Set<String> recorded = new HashSet<>();
    next.values().forEach(page -> recorded.add(page.outputPath()));
    List<String> kept = new ArrayList<>();
    for (String output : owned) {
      if (!recorded.contains(output) && outputs.containsKey(output)
          && Files.exists(request.outputDirectory().resolve(output), LinkOption.NOFOLLOW_LINKS)) {
        kept.add(output);
      }
    }
    return kept;
  }

  /** Whether the page's output has the size and modification time recorded when it was written. */
  private static boolean outputStamped(RenderRequest request, BuildState.Page page) {
    FileStamp stamp = FileStamp.of(request.outputDirectory().resolve(page.outputPath()));
    return stamp != null && stamp.matches(page.outputSize(), page.outputModified());
  }

  private static boolean outputIntact(RenderRequest request, BuildState.Page page) {
    Path output = request.outputDirectory().resolve(page.outputPath());
    try {
      return Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)
          && sha256(Files.readAllBytes(output)).equals(page.outputDigest());
    } catch (IOException e) {
      return false;
    }
  }

  private static String fingerprint(RenderRequest request) throws RenderException {
    StringBuilder text = new StringBuilder(ENGINE_FINGERPRINT).append('\n')
        .append(request.outputDirectory()).append('\n')
        .append(request.encoding().name()).append('\n')
        .append(request.defaultAuthor()).append('\n')
        .append(request.failOnUnknownRole()).append('\n')
        .append(request.inheritEnvironment()).append('\n')
        .append(request.configurationFingerprint()).append('\n');
    if (request.layout() instanceof Layout.Template t) {
      if (!Files.isRegularFile(t.file())) {
        throw new RenderException(List.of(new Problem(t.file().toString(), 0, "the layout template does not exist; "
            + "set layout to default, none, or the path of a Mustache template")));
      }
      try {
        text.append("layout ").append(t.file()).append(' ').append(sha256(Files.readAllBytes(t.file())))
            .append('\n');
      } catch (IOException e) {
        throw new RenderException(List.of(new Problem(t.file().toString(), 0,
            "cannot read the layout template: " + e.getMessage())));
      }
    } else {
      text.append("layout ").append(request.layout()).append('\n');
    }
    request.reattach().forEach((name, running) -> text.append("reattach ").append(name).append(' ')
        .append(running.toJson()).append('\n'));
    for (PluginSpec plugin : request.plugins()) {
      text.append("plugin ").append(plugin.name()).append(' ').append(plugin.fingerprint()).append(' ')
          .append(new TreeMap<>(plugin.properties())).append(' ').append(new TreeMap<>(plugin.environment()))
          .append('\n');
    }
    return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  static String outputPathOf(String source) {
    int slash = source.lastIndexOf('/');
    int dot = source.lastIndexOf('.');
    return (dot > slash ? source.substring(0, dot) : source) + ".html";
  }

  private static String stem(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static long pageId(String source) {
    byte[] hash = sha256Bytes(source.getBytes(StandardCharsets.UTF_8));
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (hash[i] & 0xff);
    }
    return id & Long.MAX_VALUE;
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Bytes(bytes));
  }

  private static byte[] sha256Bytes(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A source of the site.
   *
   * @param bytes    its content, kept for a page to render (within the budget); else {@code null}: read it again
   * @param stamp    the source's size and modification time when it was looked at
   * @param previous the last build's record, for a page that is up to date
   */
  private record Page(String source, String output, byte[] bytes, String digest, FileStamp stamp,
                      BuildState.Page previous) {
  }

  /** A page read and parsed, ready to render; without its document when its content was not kept. */
  private record Prepared(Page page, MarkupDocument document, Post post) {
  }
}
