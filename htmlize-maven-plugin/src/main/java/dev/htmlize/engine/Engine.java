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
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    long started = System.nanoTime();
    List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
    // The last build's state is read while the source tree is walked: for a build with nothing to do, these two are
    // most of the work.
    Path stateFile = request.workDirectory().resolve(STATE_FILE);
    CompletableFuture<BuildState> loading = inBackground("htmlize-state", () -> BuildState.load(stateFile));
    Map<String, FileStamp> sources = scan(request);
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
      byte[] bytes = read(request, source, problems);
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
    int removed = removeOrphans(request, previous, outputs, problems);

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
        renderAll(request, stale, manager, layout, problems, next, written);
      }
      BuildState state = new BuildState();
      state.fingerprint(fingerprint);
      state.siteDigest(siteDigest);
      state.pages().putAll(next);
      try {
        if (!state.sameAs(previous)) {
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
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(java.util.Comparator.comparing(Problem::where).thenComparingInt(Problem::line));
        sorted.forEach(p -> log.error(p.toString()));
        throw new RenderException(sorted);
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

  /** Reads a source, or adds a problem and returns {@code null} if it cannot be read or is over maxSourceSize. */
  private static byte[] read(RenderRequest request, String source, List<Problem> problems) {
    try {
      Path file = request.sourceDirectory().resolve(source);
      if (tooLarge(request, source, Files.size(file), problems)) {
        return null;
      }
      return Files.readAllBytes(file);
    } catch (IOException | OutOfMemoryError e) {
      problems.add(new Problem(source, 0, "cannot read: " + e.getMessage()));
      return null;
    }
  }

  private static boolean tooLarge(RenderRequest request, String source, long size, List<Problem> problems) {
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
  private List<Prepared> prepareAll(RenderRequest request, List<Page> pages, List<Problem> problems)
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

  private Optional<Prepared> prepare(RenderRequest request, Page page, List<Problem> problems) {
    boolean keep = page.bytes() != null;
    Optional<Parsed> parsed = parse(request, page, problems);
    return parsed.map(p -> new Prepared(page, keep ? p.document() : null, p.post()));
  }

  /** A page's front matter, markup and Post. */
  private record Parsed(MarkupDocument document, Post post) {
  }

  private Optional<Parsed> parse(RenderRequest request, Page page, List<Problem> problems) {
    String source = page.source();
    byte[] bytes = page.bytes() != null ? page.bytes() : read(request, source, problems);
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
                         List<Problem> problems, Map<String, BuildState.Page> next, AtomicInteger written)
      throws RenderException {
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
          List<Optional<BuildState.Page>> results = renderBatch(request, batch, manager, layout, problems, written);
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
          batch.forEach(page -> problems.add(new Problem(page.page().source(), 0, "internal error: "
              + e.getCause())));
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
                                                      List<Problem> problems, AtomicInteger written) {
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
      results.set(i, write(request, prepared, html, problems, written));
    }
    return results;
  }

  /** Reports roles no plugin registers; whether that fails the page (failOnUnknownRole). */
  private boolean unknownRolesFail(RenderRequest request, String source, List<RoleOccurrence> roles,
                                   PluginManager manager, List<Problem> problems) {
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

  private static Optional<BuildState.Page> write(RenderRequest request, Prepared prepared, String html,
                                                 List<Problem> problems, AtomicInteger written) {
    Page page = prepared.page();
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    try {
      Path target = OutputFiles.resolveInside(request.outputDirectory(), page.output());
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

  /**
   * The sources to render, in order, each with its stamp as the walk saw it ({@code null} for a file reached through a
   * link, which is read every time).
   */
  private Map<String, FileStamp> scan(RenderRequest request) throws RenderException {
    Path root = request.sourceDirectory();
    if (!Files.isDirectory(root)) {
      log.info("htmlize: no source directory " + root + "; nothing to render");
      return Map.of();
    }
    List<PathMatcher> includes = request.includes().stream().map(Engine::glob).toList();
    List<PathMatcher> excludes = request.excludes().stream().map(Engine::glob).toList();
    TreeMap<String, FileStamp> sources = new TreeMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          boolean regular = attributes.isRegularFile()
              || attributes.isSymbolicLink() && Files.isRegularFile(file);
          Path relative = root.relativize(file);
          if (regular && matches(includes, relative) && !matches(excludes, relative)) {
            sources.put(relative.toString().replace(java.io.File.separatorChar, '/'), attributes.isRegularFile()
                ? new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)) : null);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          throw e;
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RenderException(List.of(new Problem(root.toString(), 0, "cannot list sources: " + e.getMessage())));
    }
    return sources;
  }

  private static boolean matches(List<PathMatcher> matchers, Path relative) {
    for (PathMatcher matcher : matchers) {
      if (matcher.matches(relative)) {
        return true;
      }
    }
    return false;
  }

  /** A glob where {@code **}{@code /} also matches no directory at all, as in Maven's includes. */
  private static PathMatcher glob(String pattern) {
    PathMatcher full = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    if (!pattern.startsWith("**/")) {
      return full;
    }
    PathMatcher top = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3));
    return path -> full.matches(path) || top.matches(path);
  }

  private int removeOrphans(RenderRequest request, BuildState previous, Map<String, String> outputs,
                            List<Problem> problems) {
    java.util.Set<String> sources = new java.util.HashSet<>(outputs.values());
    int removed = 0;
    for (Map.Entry<String, BuildState.Page> entry : previous.pages().entrySet()) {
      if (sources.contains(entry.getKey()) || outputs.containsKey(entry.getValue().outputPath())) {
        continue;
      }
      try {
        Path output = OutputFiles.resolveInside(request.outputDirectory(), entry.getValue().outputPath());
        if (Files.deleteIfExists(output)) {
          removed++;
          log.debug("removed " + entry.getValue().outputPath() + ": its source " + entry.getKey() + " is gone");
        }
      } catch (IOException e) {
        problems.add(new Problem(entry.getKey(), 0, "cannot remove the page of a deleted source: " + e.getMessage()));
      }
    }
    return removed;
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
