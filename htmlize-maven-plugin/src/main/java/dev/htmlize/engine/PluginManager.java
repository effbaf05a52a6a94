package dev.htmlize.engine;

import dev.htmlize.engine.PluginEndpoint.Answer;
import dev.htmlize.engine.PluginEndpoint.ContentsCall;
import dev.htmlize.engine.PluginEndpoint.RolesCall;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleOccurrence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The article's Manager: launches the plugins (all at once) and asks each for its hooks, then, once the site is
 * read, configures them, and routes a page's roles and contents to them. A role registered twice goes to the plugin declared later, with a warning
 * naming both; contents hooks run in declaration order. Pages come in batches: one call per plugin per batch.
 * Thread-safe once started.
 */
final class PluginManager implements AutoCloseable {
  private final List<Started> plugins;
  private final Map<String, Started> roles;
  private final List<Started> contents;
  /** The launch units, ended or given back to the pool when closed. */
  private final List<Launched> units;
  private final PluginPool pool;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private PluginManager(List<Started> plugins, Map<String, Started> roles, List<Started> contents,
                        List<Launched> units, PluginPool pool) {
    this.plugins = plugins;
    this.roles = roles;
    this.contents = contents;
    this.units = units;
    this.pool = pool;
  }

  /**
   * A started plugin. Each is one running plugin, equal only to itself: it keys the grouping of every role of a batch
   * by plugin, and a record's own hash would hash the whole spec (its properties, environment, arguments) per role.
   */
  record Started(PluginSpec spec, PluginEndpoint endpoint, List<String> hooks) {
    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /**
   * Launches every plugin in parallel and asks each for its hooks; none is configured yet (see {@link #configure}),
   * so this can run while the site is read.
   *
   * @throws RenderException naming every plugin that could not start, after stopping those that did
   */
  static PluginManager launch(RenderRequest request, EngineLog log, PluginLauncher launcher) throws RenderException {
    List<PluginSpec> specs = request.plugins();
    List<List<Integer>> units = launcher.shares() ? SharedPluginJvm.units(specs, request)
        : java.util.stream.IntStream.range(0, specs.size()).mapToObj(List::of).toList();
    PluginPool pool = launcher.pool();
    List<Launched> launched;
    try {
      launched = Parallel.map(units, Math.max(1, units.size()), "htmlize-plugin-start",
          unit -> launchUnit(unit.stream().map(specs::get).toList(), request, log, launcher, pool),
          (unit, error) -> new Launched(unit.stream().<Object>map(i -> new PluginFailure(specs.get(i).name(),
              OptionalLong.empty(), PluginFailure.Kind.START, "internal error: " + error)).toList(), null, false));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(List.of(new Problem("plugins", 0, "interrupted while they started")));
    }
    // Back in declaration order: later plugins win a role, contents hooks run in order.
    Object[] outcomes = new Object[specs.size()];
    for (int u = 0; u < units.size(); u++) {
      for (int m = 0; m < units.get(u).size(); m++) {
        outcomes[units.get(u).get(m)] = launched.get(u).outcomes().get(m);
      }
    }
    List<Started> started = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Object outcome : outcomes) {
      if (outcome instanceof Started plugin) {
        started.add(plugin);
      } else {
        problems.add(((PluginFailure) outcome).ofPlugin());
      }
    }
    if (!problems.isEmpty()) {
      release(launched, pool); // Those that started are well: a pooled one is kept.
      throw new RenderException(problems);
    }
    return wire(started, launched, pool, log);
  }

  /**
   * The plugins of one launch unit, started or failed, in the order given; {@code pooled} when they are kept in the
   * pool after this render, {@code reused} when an earlier render started them.
   */
  private record Launched(List<Object> outcomes, PluginPool.Unit pooled, boolean reused) {
    Stream<Started> started() {
      return outcomes.stream().filter(Started.class::isInstance).map(Started.class::cast);
    }
  }

  /** Ends the units' started plugins, or gives the pooled units back to the pool. */
  private static void release(List<Launched> units, PluginPool pool) {
    units.parallelStream().forEach(unit -> {
      if (unit.pooled() != null) {
        pool.giveBack(unit.pooled());
      } else {
        unit.started().forEach(plugin -> plugin.endpoint().close());
      }
    });
  }

  /** How many processes these plugins run in: distinct pids. */
  private static int processes(Stream<Started> plugins) {
    return (int) plugins.map(p -> p.endpoint().pid()).filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong).distinct().count();
  }

  /** Takes the unit from the pool if an earlier render left one there, else launches it (and pools it). */
  private static Launched launchUnit(List<PluginSpec> members, RenderRequest request, EngineLog log,
                                     PluginLauncher launcher, PluginPool pool) {
    String key = pool == null || members.stream().anyMatch(spec -> request.reattach().containsKey(spec.name()))
        ? null : PluginPool.key(members, request);
    if (key != null) {
      PluginPool.Unit kept = pool.take(key);
      if (kept != null) {
        List<Started> plugins = kept.rebind(members, request, log);
        plugins.forEach(plugin -> log.debug("plugin " + plugin.spec().name() + plugin.endpoint().pid()
            .stream().mapToObj(pid -> " (pid " + pid + ")").findFirst().orElse("")
            + " is the one an earlier module of this build started"));
        return new Launched(List.copyOf(plugins), kept, true);
      }
    }
    SwitchableLog unitLog = key == null ? null : new SwitchableLog(log);
    EngineLog using = unitLog == null ? log : unitLog;
    List<Object> outcomes = members.size() == 1 && !keptAlone(members.get(0), request)
        ? List.of(launchOne(members.get(0), request, using, launcher))
        : launchShared(members, request, using, launcher);
    if (key != null && outcomes.stream().allMatch(Started.class::isInstance)) {
      PluginPool.Unit unit = new PluginPool.Unit(key, outcomes.stream().map(Started.class::cast).toList(), unitLog);
      if (pool.add(unit)) {
        return new Launched(outcomes, unit, false);
      }
    }
    return new Launched(outcomes, null, false);
  }

  /**
   * Plugins that share one plugin JVM: started plugins or failures, in the order given. A plugin that cannot be
   * served there (its {@code main} serves go-plugin's protocol itself) is launched in a process of its own.
   */
  private static List<Object> launchShared(List<PluginSpec> members, RenderRequest request, EngineLog log,
                                           PluginLauncher launcher) {
    SharedPluginJvm jvm;
    try {
      jvm = SharedPluginJvm.start(members, request, log);
    } catch (PluginStartException e) {
      return members.stream().<Object>map(spec -> new PluginFailure(spec.name(), OptionalLong.empty(),
          PluginFailure.Kind.START, e.detail() + " (in " + SharedPluginJvm.description(members) + ")"
              + advice(e.kind()))).toList();
    }
    // Each plugin is loaded on its first call, its Hooks: in parallel, as processes of their own would start.
    try {
      return Parallel.map(java.util.stream.IntStream.range(0, members.size()).boxed().toList(), members.size(),
          "htmlize-plugin-load", index -> {
            PluginSpec spec = members.get(index);
            Object outcome = launchOne(spec, request, log, (s, r, l) -> jvm.endpoint(index, r, l));
            if (outcome instanceof NotShareable) {
              log.debug("htmlize: plugin " + spec.name() + " serves go-plugin's protocol itself; it gets a JVM of "
                  + "its own");
              outcome = launchOne(spec.withJava(spec.java().orElseThrow().in(JavaPlugin.Mode.ISOLATED)), request,
                  log, launcher);
            }
            return outcome;
          }, (index, error) -> new PluginFailure(members.get(index).name(), OptionalLong.empty(),
              PluginFailure.Kind.START, "internal error: " + error));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jvm.client().close();
      return members.stream().<Object>map(spec -> new PluginFailure(spec.name(), OptionalLong.empty(),
          PluginFailure.Kind.START, "interrupted while it started")).toList();
    }
  }

  /** Whether a Java plugin alone in its group still runs in a shared plugin JVM: to be kept between builds. */
  private static boolean keptAlone(PluginSpec spec, RenderRequest request) {
    return request.keepAlive().isPresent() && spec.mode() == JavaPlugin.Mode.SHARED
        && !request.reattach().containsKey(spec.name());
  }

  /** A plugin of a shared JVM that cannot be served there. */
  private record NotShareable() {
  }

  /** A started plugin, or its failure. */
  private static Object launchOne(PluginSpec spec, RenderRequest request, EngineLog log, PluginLauncher launcher) {
    return launchOne(spec, request, log, launcher::launch);
  }

  private static Object launchOne(PluginSpec spec, RenderRequest request, EngineLog log,
                                  PluginLauncher.Launch launcher) {
    PluginEndpoint endpoint;
    try {
      endpoint = launcher.launch(spec, request, log);
    } catch (PluginStartException e) {
      return new PluginFailure(spec.name(), OptionalLong.empty(), PluginFailure.Kind.START,
          e.detail() + advice(e.kind()));
    }
    try {
      List<String> hooks = endpoint.hooks();
      for (String hook : hooks) {
        if (!HtmlizeProtocol.isValidHook(hook)) {
          endpoint.close();
          return new PluginFailure(spec.name(), OptionalLong.empty(), PluginFailure.Kind.INVALID_HOOK,
              "declares an invalid hook \"" + hook + "\": hooks are \"contents\" or \"role:NAME\" with a name of "
                  + "letters, digits and underscores");
        }
      }
      log.debug("plugin " + spec.name() + (endpoint.pid().isPresent() ? " (pid " + endpoint.pid().getAsLong() + ")"
          : "") + " started; hooks " + hooks);
      return new Started(spec, endpoint, List.copyOf(hooks));
    } catch (PluginCallException e) {
      endpoint.close();
      return GrpcPluginEndpoint.notShareable(e) ? new NotShareable() : e.failure();
    }
  }

  /**
   * Configures every plugin with its properties and the site, in parallel: the site is complete by now, and what a
   * plugin asks of it through the Site service is what the supplier gives then.
   *
   * @throws RenderException naming every plugin whose Configure failed, after stopping every plugin
   */
  void configure(Supplier<List<Post>> site) throws RenderException {
    List<Optional<PluginFailure>> failures;
    try {
      failures = Parallel.map(plugins, Math.max(1, plugins.size()), "htmlize-plugin-configure", plugin -> {
        try {
          plugin.endpoint().configure(plugin.spec().properties(), site);
          return Optional.<PluginFailure>empty();
        } catch (PluginCallException e) {
          return Optional.of(e.failure());
        }
      }, (plugin, error) -> Optional.of(new PluginFailure(plugin.spec().name(), OptionalLong.empty(),
          PluginFailure.Kind.CALL, "internal error: " + error)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(List.of(new Problem("plugins", 0, "interrupted while they were configured")));
    }
    List<Problem> problems = failures.stream().flatMap(Optional::stream).map(PluginFailure::ofPlugin).toList();
    if (!problems.isEmpty()) {
      close();
      throw new RenderException(problems);
    }
  }

  /** What to set, in the plugin's configuration, for a start failure the runtime words in its own terms. */
  private static String advice(PluginStartException.Kind kind) {
    return switch (kind) {
      case PLAINTEXT_TCP -> " (in the plugin's configuration: <autoMtls>true</autoMtls> if it supports AutoMTLS, or "
          + "<allowPlaintextTcp>true</allowPlaintextTcp> to accept plaintext TCP)";
      case AUTO_MTLS_MISMATCH -> " (the plugin's <autoMtls> element turns AutoMTLS on or off)";
      case OTHER -> "";
    };
  }

  private static PluginManager wire(List<Started> started, List<Launched> units, PluginPool pool, EngineLog log) {
    Map<String, Started> roles = new HashMap<>();
    List<Started> contents = new ArrayList<>();
    for (Started plugin : started) {
      for (String hook : plugin.hooks()) {
        if (hook.equals(HtmlizeProtocol.CONTENTS_HOOK)) {
          if (!contents.contains(plugin)) {
            contents.add(plugin);
          }
          continue;
        }
        String role = HtmlizeProtocol.roleOf(hook).orElseThrow();
        Started earlier = roles.put(role, plugin);
        if (earlier != null && earlier != plugin) {
          log.warn("role :" + role + ": is registered by plugin " + earlier.spec().name() + " and by plugin "
              + plugin.spec().name() + "; " + plugin.spec().name() + ", declared later, renders it");
        }
      }
    }
    return new PluginManager(List.copyOf(started), Map.copyOf(roles), List.copyOf(contents), List.copyOf(units),
        pool);
  }

  int size() {
    return plugins.size();
  }

  /** The plugin processes these plugins run in (a shared plugin JVM counts once, a plugin in this JVM not at all). */
  int processes() {
    return processes(plugins.stream());
  }

  /** Of {@link #processes()}, those an earlier render of the build started (see {@link PluginPool}). */
  int reusedProcesses() {
    return processes(units.stream().filter(Launched::reused).flatMap(Launched::started));
  }

  boolean handles(String role) {
    return roles.containsKey(role);
  }

  /**
   * Renders the roles of several pages: one batch per plugin that handles some of them.
   *
   * @param pages each page's Post and role occurrences
   * @return one answer per page, in order: an entry per occurrence (its HTML, or {@code null} where no plugin handles
   *         the role), or the page's first failure
   */
  List<Answer<List<String>>> resolveRoles(List<RolesCall> pages) {
    List<String[]> html = new ArrayList<>(pages.size());
    PluginCallException[] failures = new PluginCallException[pages.size()];
    // For each plugin, the pages with some of its roles, and for each such page the indexes of those roles.
    Map<Started, Map<Integer, List<Integer>>> byPlugin = new LinkedHashMap<>();
    for (int p = 0; p < pages.size(); p++) {
      List<RoleOccurrence> occurrences = pages.get(p).roles();
      html.add(new String[occurrences.size()]);
      for (int i = 0; i < occurrences.size(); i++) {
        Started plugin = roles.get(occurrences.get(i).role());
        if (plugin != null) {
          byPlugin.computeIfAbsent(plugin, k -> new LinkedHashMap<>()).computeIfAbsent(p, k -> new ArrayList<>())
              .add(i);
        }
      }
    }
    for (Map.Entry<Started, Map<Integer, List<Integer>>> entry : byPlugin.entrySet()) {
      Started plugin = entry.getKey();
      List<Integer> pageIndexes = new ArrayList<>();
      List<RolesCall> calls = new ArrayList<>();
      entry.getValue().forEach((p, indexes) -> {
        if (failures[p] == null) {
          List<RoleOccurrence> all = pages.get(p).roles();
          List<RoleOccurrence> mine = new ArrayList<>(indexes.size());
          indexes.forEach(i -> mine.add(all.get(i)));
          pageIndexes.add(p);
          calls.add(new RolesCall(pages.get(p).post(), mine));
        }
      });
      if (calls.isEmpty()) {
        continue;
      }
      List<Answer<List<String>>> answers = plugin.endpoint().processRoles(calls);
      for (int c = 0; c < calls.size(); c++) {
        int p = pageIndexes.get(c);
        Answer<List<String>> answer = answers.get(c);
        List<Integer> indexes = entry.getValue().get(p);
        if (!answer.ok()) {
          failures[p] = answer.failure();
        } else if (answer.value().size() != indexes.size()) {
          failures[p] = new PluginCallException(new PluginFailure(plugin.spec().name(),
              plugin.endpoint().pid(),
              PluginFailure.Kind.WRONG_ANSWER, "answered ProcessRoles with " + answer.value().size()
                  + " results for " + indexes.size() + " roles"), null);
        } else {
          for (int i = 0; i < indexes.size(); i++) {
            html.get(p)[indexes.get(i)] = answer.value().get(i);
          }
        }
      }
    }
    List<Answer<List<String>>> result = new ArrayList<>(pages.size());
    for (int p = 0; p < pages.size(); p++) {
      result.add(failures[p] != null ? Answer.failed(failures[p]) : Answer.of(Arrays.asList(html.get(p))));
    }
    return result;
  }

  /** Runs the contents hooks on several pages' bodies, in declaration order, one batch per plugin. */
  List<Answer<String>> processContents(List<ContentsCall> pages) {
    List<Answer<String>> results = new ArrayList<>(pages.size());
    pages.forEach(page -> results.add(Answer.of(page.html())));
    for (Started plugin : contents) {
      List<Integer> pageIndexes = new ArrayList<>();
      List<ContentsCall> calls = new ArrayList<>();
      for (int p = 0; p < pages.size(); p++) {
        if (results.get(p).ok()) {
          pageIndexes.add(p);
          calls.add(new ContentsCall(pages.get(p).post(), results.get(p).value()));
        }
      }
      if (calls.isEmpty()) {
        break;
      }
      List<Answer<String>> answers = plugin.endpoint().processContents(calls);
      for (int c = 0; c < calls.size(); c++) {
        results.set(pageIndexes.get(c), answers.get(c));
      }
    }
    return results;
  }

  /** The names of the plugins whose processes are gone (crashed, or killed), in declaration order. */
  List<String> dead() {
    return plugins.stream().filter(p -> !p.endpoint().alive()).map(p -> p.spec().name()).toList();
  }

  /** Shuts every plugin down, in parallel, but those kept in the pool: they are given back, for the next render. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    release(units, pool);
  }
}
