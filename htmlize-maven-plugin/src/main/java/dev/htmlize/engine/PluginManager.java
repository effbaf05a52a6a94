package dev.htmlize.engine;

import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.HtmlizerService;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.SiteService;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.ProcessRolesResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The article's Manager: starts the plugins (all at once), asks each for its hooks, configures it, and routes a
 * page's roles and contents to them. A role registered twice goes to the plugin declared later, with a warning
 * naming both; contents hooks run in declaration order. One {@code ProcessRoles} call per plugin per page.
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
  record Started(PluginSpec spec, PluginClient client, HtmlizerGrpc.HtmlizerBlockingStub stub, List<String> hooks) {
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
  static PluginManager start(RenderRequest request, EngineLog log, Supplier<List<Post>> site)
      throws RenderException {
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
          .map(spec -> CompletableFuture.supplyAsync(() -> startOne(spec, request, log, site), starter))
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
        started.parallelStream().forEach(s -> s.client().close());
        throw new RenderException(problems);
      }
      return wire(started, request, log);
    } finally {
      starter.shutdownNow();
    }
  }

  private static Started startOne(PluginSpec spec, RenderRequest request, EngineLog log, Supplier<List<Post>> site) {
    PluginLogBridge bridge = new PluginLogBridge(spec.name(), log);
    ClientConfig config = ClientConfig.builder(spec.name(), HtmlizeProtocol.HANDSHAKE)
        .protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
        .command(spec.command())
        .environment(PluginEnvironment.of(request, spec))
        .startTimeout(request.startTimeout())
        .callTimeout(request.callTimeout())
        .sha256(spec.sha256())
        .logger(bridge)
        .stdio(bridge)
        .build();
    PluginClient client;
    try {
      ReattachConfig running = request.reattach().get(spec.name());
      if (running != null) {
        client = PluginClient.reattach(running, config);
        log.info("htmlize: plugin " + spec.name() + " is the running one at " + running.network().wireName() + ":"
            + running.address() + (running.pid() > 0 ? " (pid " + running.pid() + ")" : "")
            + (running.test() ? "; it stays running after the build" : ""));
      } else {
        client = PluginClient.start(config);
      }
    } catch (PluginStartException e) {
      throw new CompletionException(e.getMessage(), e);
    }
    try {
      HtmlizerGrpc.HtmlizerBlockingStub stub = client.dispense(HtmlizerGrpc::newBlockingStub);
      List<String> hooks = stub.hooks(HooksRequest.getDefaultInstance()).getHooksList();
      for (String hook : hooks) {
        if (!HtmlizeProtocol.isValidHook(hook)) {
          throw new IllegalStateException("plugin " + spec.name() + " declares an invalid hook \"" + hook
              + "\": hooks are \"contents\" or \"role:NAME\" with a name of letters, digits and underscores");
        }
      }
      int siteId = client.broker().nextId();
      client.broker().acceptAndServe(siteId, new SiteService(site));
      stub.configure(ConfigureRequest.newBuilder().putAllProperties(spec.properties()).setSiteBrokerId(siteId)
          .build());
      log.debug("plugin " + spec.name() + " (pid " + client.pid().orElse(0L) + ") started; hooks " + hooks);
      return new Started(spec, client, stub, List.copyOf(hooks));
    } catch (StatusRuntimeException | IllegalStateException e) {
      client.close();
      throw new CompletionException(e.getMessage(), e);
    } catch (IOException e) {
      client.close();
      throw new CompletionException("plugin " + spec.name() + ": cannot offer it the site: " + e.getMessage(), e);
    }
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
   * Renders a page's roles: one call per plugin that handles some of them.
   *
   * @return one entry per occurrence: its HTML, or {@code null} where no plugin handles the role
   */
  List<String> resolveRoles(Post post, List<RoleOccurrence> occurrences) throws PluginCallException {
    String[] html = new String[occurrences.size()];
    Map<Started, List<Integer>> byPlugin = new LinkedHashMap<>();
    for (int i = 0; i < occurrences.size(); i++) {
      Started plugin = roles.get(occurrences.get(i).role());
      if (plugin != null) {
        byPlugin.computeIfAbsent(plugin, p -> new ArrayList<>()).add(i);
      }
    }
    if (byPlugin.isEmpty()) {
      return Arrays.asList(html);
    }
    dev.htmlize.plugin.proto.Post wirePost = Protos.toProto(post);
    for (Map.Entry<Started, List<Integer>> entry : byPlugin.entrySet()) {
      Started plugin = entry.getKey();
      List<Integer> indexes = entry.getValue();
      ProcessRolesRequest.Builder call = ProcessRolesRequest.newBuilder().setPost(wirePost);
      indexes.forEach(i -> call.addRoles(Protos.toProto(occurrences.get(i))));
      ProcessRolesResponse response;
      try {
        response = deadline(plugin).processRoles(call.build());
      } catch (StatusRuntimeException e) {
        PluginCallException failure = failure(plugin, e);
        String index = e.getTrailers() == null ? null : e.getTrailers().get(HtmlizerService.ROLE_INDEX);
        if (index != null) {
          try {
            int i = Integer.parseInt(index.strip());
            if (i >= 0 && i < indexes.size()) {
              throw new PluginCallException(failure.getMessage(), e, occurrences.get(indexes.get(i)));
            }
          } catch (NumberFormatException ignored) {
            // A malformed trailer only loses the line.
          }
        }
        throw failure;
      }
      if (response.getHtmlCount() != indexes.size()) {
        throw new PluginCallException("plugin " + plugin.spec().name() + " answered ProcessRoles with "
            + response.getHtmlCount() + " results for " + indexes.size() + " roles", null);
      }
      for (int i = 0; i < indexes.size(); i++) {
        html[indexes.get(i)] = response.getHtml(i);
      }
    }
    return Arrays.asList(html);
  }

  /** Runs the contents hooks in declaration order. */
  String processContents(String html, Post post) throws PluginCallException {
    String result = html;
    for (Started plugin : contents) {
      try {
        result = deadline(plugin).processContents(ProcessContentsRequest.newBuilder().setHtml(result)
            .setPost(Protos.toProto(post)).build()).getHtml();
      } catch (StatusRuntimeException e) {
        throw failure(plugin, e);
      }
    }
    return result;
  }

  private HtmlizerGrpc.HtmlizerBlockingStub deadline(Started plugin) {
    return plugin.stub().withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static PluginCallException failure(Started plugin, StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    String message = description != null && description.startsWith("plugin ") ? description
        : "plugin " + plugin.spec().name() + ": " + e.getStatus().getCode() + (description == null ? ""
            : ": " + description);
    if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
      message += " (the call took longer than the call timeout; the plugin is stopped)";
      plugin.client().close();
    }
    return new PluginCallException(message, e);
  }

  /** Shuts every plugin down, in parallel. */
  @Override
  public void close() {
    plugins.parallelStream().forEach(p -> p.client().close());
  }
}
