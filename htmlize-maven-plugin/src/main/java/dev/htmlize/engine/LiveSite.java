package dev.htmlize.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A site rendered again and again by one long-lived process (the {@code serve} goal): each {@link #render()} renders
 * what changed since the last one, as a build would, but with the last render's state kept in memory and the plugins
 * kept running between renders. A plugin that crashes is named, and started again at the next render, at most
 * {@value #RESTARTS} times a minute; after that the site goes on without it until the process restarts. Renders run
 * one at a time. {@link #close()} stops the plugins.
 */
public final class LiveSite implements AutoCloseable {
  /** How many times a minute a crashed plugin is started again. */
  static final int RESTARTS = 3;

  private final Engine engine;
  private final EngineLog log;
  private final Engine.Session session = new Engine.Session();
  private final Map<String, Deque<Long>> restarts = new HashMap<>();
  private final Set<String> givenUp = new TreeSet<>();
  private RenderRequest request;

  public LiveSite(RenderRequest request, EngineLog log) {
    this(request, log, new Engine(log));
  }

  LiveSite(RenderRequest request, EngineLog log, Engine engine) {
    this.request = request;
    this.log = log;
    this.engine = engine;
  }

  /**
   * What one render did.
   *
   * @param summary  its summary line's figures, or {@code null} when it failed before rendering
   * @param changed  the output paths whose files changed, appeared or went, or whose problems did
   * @param problems what is wrong, by output path of the page it concerns ({@code ""} for the whole site: a plugin
   *                 that could not start, a layout that cannot be read)
   * @param time     how long it took
   */
  public record Update(RenderSummary summary, Set<String> changed, Map<String, List<Problem>> problems,
                       Duration time) {
    /** Whether nothing is wrong. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private Map<String, List<Problem>> lastProblems = Map.of();

  /**
   * Renders what changed when only these files changed, in place (no file came or went): the source directory is not
   * walked again, only these files are looked at. A file outside the source directory renders as {@link #render()}.
   */
  public synchronized Update render(java.util.Collection<Path> modified) {
    Set<String> relative = new TreeSet<>();
    Path root = request.sourceDirectory();
    Path real;
    try {
      real = root.toRealPath();
    } catch (java.io.IOException e) {
      return render();
    }
    for (Path file : modified) {
      Path absolute = file.toAbsolutePath().normalize();
      Path base = absolute.startsWith(root) ? root : absolute.startsWith(real) ? real : null;
      if (base == null) {
        return render();
      }
      relative.add(base.relativize(absolute).toString().replace(java.io.File.separatorChar, '/'));
    }
    if (session.modified != null) {
      relative.addAll(session.modified); // what a render that failed early did not look at yet
    }
    session.modified = relative;
    return renderNow();
  }

  /** Renders what changed; never throws for what is wrong with the site: that is in the update's problems. */
  public synchronized Update render() {
    session.modified = null;
    return renderNow();
  }

  private Update renderNow() {
    long started = System.nanoTime();
    engine.saveState(request, session);
    BuildState before = session.state != null ? session.state
        : BuildState.load(request.workDirectory().resolve(BuildState.FILE_NAME));
    RenderSummary summary = null;
    List<Problem> problems = List.of();
    try {
      summary = engine.render(request, session);
    } catch (RenderException e) {
      problems = e.problems();
    }
    Map<String, List<Problem>> byPage = byPage(problems, request);
    Set<String> changed = changed(before, session.state);
    // A page whose problems changed is shown anew (an error page, or the page again).
    Set<String> withProblems = new java.util.HashSet<>(byPage.keySet());
    withProblems.addAll(lastProblems.keySet());
    for (String page : withProblems) {
      if (!Objects.equals(byPage.get(page), lastProblems.get(page))) {
        changed.add(page);
      }
    }
    changed.remove("");
    lastProblems = byPage;
    restartDeadPlugins();
    return new Update(summary, changed, byPage, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Saves the state of the last render, which {@link #render()} leaves unsaved so that its pages are out first; call it
   * after the pages of an update are served (the next render saves it first anyway).
   */
  public synchronized void saveState() {
    engine.saveState(request, session);
  }

  /** The problems by the output path of their page; those of no page (a plugin's, a layout's) under {@code ""}. */
  private static Map<String, List<Problem>> byPage(List<Problem> problems, RenderRequest request) {
    Map<String, List<Problem>> byPage = new HashMap<>();
    List<java.nio.file.PathMatcher> sources = request.includes().stream().map(SourceScan::glob).toList();
    for (Problem problem : problems) {
      String where = problem.where();
      boolean page = !where.startsWith("plugin ") && !where.startsWith("/") && !where.equals("plugins")
          && sources.stream().anyMatch(m -> m.matches(Path.of(where)));
      byPage.computeIfAbsent(page ? SourceReader.outputPathOf(where) : "", k -> new ArrayList<>()).add(problem);
    }
    return byPage;
  }

  /** The outputs whose record differs between two states: pages, assets and the site's own files. */
  private static Set<String> changed(BuildState before, BuildState after) {
    Set<String> changed = new LinkedHashSet<>();
    if (after == null) {
      return changed;
    }
    Map<String, String> old = outputs(before);
    Map<String, String> now = outputs(after);
    old.forEach((path, digest) -> {
      if (!Objects.equals(digest, now.get(path))) {
        changed.add(path);
      }
    });
    now.forEach((path, digest) -> {
      if (!old.containsKey(path)) {
        changed.add(path);
      }
    });
    return changed;
  }

  private static Map<String, String> outputs(BuildState state) {
    Map<String, String> outputs = new HashMap<>();
    state.pages().values().stream().filter(page -> !page.isDraft())
        .forEach(page -> outputs.put(page.outputPath(), page.outputDigest()));
    state.assets().forEach((path, asset) -> outputs.put(path, asset.toString()));
    outputs.putAll(state.generated());
    return outputs;
  }

  /**
   * Stops the plugins if one of them is gone, so that the next render starts them again; a plugin gone more than
   * {@value #RESTARTS} times within a minute is given up until the process restarts.
   */
  private void restartDeadPlugins() {
    if (session.plugins == null) {
      return;
    }
    List<String> dead = session.plugins.dead();
    if (dead.isEmpty()) {
      return;
    }
    session.plugins.close();
    session.plugins = null;
    session.configuredWith = null;
    long now = System.nanoTime();
    for (String name : dead) {
      Deque<Long> times = restarts.computeIfAbsent(name, n -> new ArrayDeque<>());
      times.removeIf(t -> now - t > Duration.ofMinutes(1).toNanos());
      if (times.size() >= RESTARTS) {
        givenUp.add(name);
        log.error("htmlize: plugin " + name + " crashed " + (RESTARTS + 1) + " times within a minute; it is given up "
            + "until htmlize:serve is started again, and the site renders without it");
      } else {
        times.add(now);
        log.error("htmlize: plugin " + name + " crashed; it starts again at the next change");
      }
    }
    if (!givenUp.isEmpty()) {
      request = request.withoutPlugins(givenUp);
    }
  }

  /** The plugins given up after crashing too often. */
  public synchronized Set<String> givenUp() {
    return Set.copyOf(givenUp);
  }

  /** The request rendered; without the plugins given up. */
  public synchronized RenderRequest request() {
    return request;
  }

  /** The output directory. */
  public Path outputDirectory() {
    return request.outputDirectory();
  }

  /** Saves the state, and stops the plugins. */
  @Override
  public synchronized void close() {
    engine.saveState(request, session);
    if (session.plugins != null) {
      session.plugins.close();
      session.plugins = null;
    }
  }
}
