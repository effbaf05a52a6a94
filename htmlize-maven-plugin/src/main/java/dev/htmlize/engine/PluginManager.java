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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The article's Manager: starts the plugins (all at once), asks each for its hooks, configures it, and routes a
 * page's roles and contents to them. A role registered twice goes to the plugin declared later, with a warning
 * naming both; contents hooks run in declaration order. Pages come in batches: one call per plugin per batch.
 * Thread-safe once started.
 */
final class PluginManager implements AutoCloseable {
  private final List<Started> plugins;
  private final Map<String, Started> roles;
  private final List<Started> contents;
  private final RenderRequest request;

  private PluginManager(List<Started> plugins, Map<String, Started> roles, List<Started> contents,
                        RenderRequest request) {
    this.plugins = plugins;
    this.roles = roles;
    this.contents = contents;
    this.request = request;
  }

  /** A started plugin. */
  record Started(PluginSpec spec, PluginEndpoint endpoint, List<String> hooks) {
  }

  /** A plugin call failed; the message names the plugin. */
  static final class PluginCallException extends Exception {
    private final transient RoleOccurrence occurrence;

    PluginCallException(String message, Throwable cause) {
      this(message, cause, null);
    }

    PluginCallException(String message, Throwable cause, RoleOccurrence occurrence) {
      super(message, cause);
      this.occurrence = occurrence;
    }

    /** The role occurrence the plugin said it failed on, if it said. */
    Optional<RoleOccurrence> occurrence() {
      return Optional.ofNullable(occurrence);
    }
  }

  /**
   * Starts every plugin in parallel.
   *
   * @throws RenderException naming every plugin that could not start, after stopping those that did
   */
  static PluginManager start(RenderRequest request, EngineLog log, PluginLauncher launcher,
                             Supplier<List<Post>> site) throws RenderException {
    List<PluginSpec> specs = request.plugins();
    if (specs.isEmpty()) {
      return new PluginManager(List.of(), Map.of(), List.of(), request);
    }
    ExecutorService starter = Executors.newFixedThreadPool(specs.size(), runnable -> {
      Thread thread = new Thread(runnable, "htmlize-plugin-start");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<CompletableFuture<Started>> futures = specs.stream()
          .map(spec -> CompletableFuture.supplyAsync(() -> startOne(spec, request, log, launcher, site), starter))
          .toList();
      List<Started> started = new ArrayList<>();
      List<Problem> problems = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          started.add(futures.get(i).join());
        } catch (CompletionException e) {
          String where = "plugin " + specs.get(i).name();
          String message = e.getCause().getMessage();
          // The runtime's messages start with the plugin's name, which the problem already shows.
          if (message.startsWith(where + ": ")) {
            message = message.substring(where.length() + 2);
          } else if (message.startsWith(where + " ")) {
            message = message.substring(where.length() + 1);
          }
          problems.add(new Problem(where, 0, message));
        }
      }
      if (!problems.isEmpty()) {
        started.parallelStream().forEach(s -> s.endpoint().close());
        throw new RenderException(problems);
      }
      return wire(started, request, log);
    } finally {
      starter.shutdownNow();
    }
  }

  private static Started startOne(PluginSpec spec, RenderRequest request, EngineLog log, PluginLauncher launcher,
                                  Supplier<List<Post>> site) {
    PluginEndpoint endpoint;
    try {
      endpoint = launcher.launch(spec, request, log);
    } catch (PluginStartException e) {
      throw new CompletionException(new PluginStartException(e.kind(), e.getMessage() + advice(e.kind()), e));
    }
    try {
      List<String> hooks = endpoint.hooks();
      for (String hook : hooks) {
        if (!HtmlizeProtocol.isValidHook(hook)) {
          throw new IllegalStateException("plugin " + spec.name() + " declares an invalid hook \"" + hook
              + "\": hooks are \"contents\" or \"role:NAME\" with a name of letters, digits and underscores");
        }
      }
      endpoint.configure(spec.properties(), site);
      log.debug("plugin " + spec.name() + endpoint.pid().map(pid -> " (pid " + pid + ")").orElse("")
          + " started; hooks " + hooks);
      return new Started(spec, endpoint, List.copyOf(hooks));
    } catch (PluginCallException | IllegalStateException e) {
      endpoint.close();
      throw new CompletionException(e.getMessage(), e);
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

  private static PluginManager wire(List<Started> started, RenderRequest request, EngineLog log) {
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
    return new PluginManager(List.copyOf(started), Map.copyOf(roles), List.copyOf(contents), request);
  }

  int size() {
    return plugins.size();
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
          failures[p] = new PluginCallException("plugin " + plugin.spec().name() + " answered ProcessRoles with "
              + answer.value().size() + " results for " + indexes.size() + " roles", null);
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

  /** Shuts every plugin down, in parallel. */
  @Override
  public void close() {
    plugins.parallelStream().forEach(p -> p.endpoint().close());
  }
}
