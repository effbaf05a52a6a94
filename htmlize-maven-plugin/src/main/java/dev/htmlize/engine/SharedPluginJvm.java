package dev.htmlize.engine;

import dev.htmlize.goplugin.Sha256;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.JavaCommand;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.PluginJvms;
import dev.htmlize.plugin.SharedPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One plugin JVM that serves several Java plugins of a build ({@link SharedPlugins} is its {@code main}): one
 * process, one handshake, one connection; each plugin its own {@code htmlize.v1.Htmlizer} on it, with its own hooks,
 * configuration and name. Java plugins share a JVM when they run on the same {@code java} with the same JVM options,
 * environment and transport, and none of them is {@code isolated}; the JVM stops when the last of them is closed.
 */
final class SharedPluginJvm {
  private final List<PluginSpec> members;
  private final PluginClient client;
  private final AtomicInteger open;
  /** This build's hold on a JVM kept between builds, or {@code null} for one that ends with the build. */
  private final KeptPlugins.Lease kept;

  private SharedPluginJvm(List<PluginSpec> members, PluginClient client, KeptPlugins.Lease kept) {
    this.members = List.copyOf(members);
    this.client = client;
    this.open = new AtomicInteger(members.size());
    this.kept = kept;
  }

  /**
   * The plugins to launch together, as lists of indexes into {@code specs}, in the order of their first plugin: a
   * group of Java plugins that can share a JVM, or a single plugin.
   */
  static List<List<Integer>> units(List<PluginSpec> specs, RenderRequest request) {
    Map<Object, List<Integer>> units = new LinkedHashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      PluginSpec spec = specs.get(i);
      boolean shares = spec.mode() == JavaPlugin.Mode.SHARED && !request.reattach().containsKey(spec.name());
      Object key = shares ? List.of(spec.command().get(0), spec.java().orElseThrow().jvmOptions(),
          spec.java().orElseThrow().sdkClassPath(), spec.environment(), spec.autoMtls(), spec.allowPlaintextTcp())
          : i;
      units.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    return List.copyOf(units.values());
  }

  /** Launches the JVM for these plugins (each of them {@link JavaPlugin.Mode#SHARED}, with the same key). */
  static SharedPluginJvm start(List<PluginSpec> members, RenderRequest request, EngineLog log)
      throws PluginStartException {
    PluginSpec first = members.get(0);
    JavaPlugin java = first.java().orElseThrow();
    List<SharedPlugins.Member> list = members.stream().map(spec -> new SharedPlugins.Member(spec.name(),
        spec.java().orElseThrow().classPath(), spec.java().orElseThrow().mainClass(),
        spec.java().orElseThrow().arguments())).toList();
    String description = description(members);
    JavaCommand command;
    try {
      Path directory = request.workDirectory().resolve("argfiles");
      Files.createDirectories(directory);
      Path file = directory.resolve("shared-" + Sha256.hex(list.toString()).substring(0, 16) + ".properties");
      if (!Files.exists(file)) {
        Path temp = Files.createTempFile(directory, "shared-", ".tmp");
        try {
          SharedPlugins.write(temp, list);
          Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      command = PluginJvms.command(java.jvmOptions(), java.sdkClassPath(), SharedPlugins.class.getName(),
          List.of(file.toString()), directory);
    } catch (IOException e) {
      throw new PluginStartException(description, "cannot write its plugin list: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new PluginStartException(description, e.getMessage(), e);
    }
    PluginSpec launched = first.withShutdownGrace(command.shutdownGrace());
    PluginLogBridge bridge = new PluginLogBridge(String.join("+", members.stream().map(PluginSpec::name).toList()),
        members.stream().map(PluginSpec::name).toList(), log);
    ClientConfig config = GrpcPluginEndpoint.config(description, launched, command.command(), bridge, request);
    if (request.keepAlive().isPresent()) {
      KeptPlugins.Lease lease = KeptPlugins.acquire(members, command.command(), config.environment(), config,
          request.keepAlive().get(), log);
      return new SharedPluginJvm(members, lease.client(), lease);
    }
    PluginClient client = PluginClient.start(config);
    log.debug("htmlize: " + description + " started" + client.pid().map(pid -> " (pid " + pid + ")").orElse(""));
    return new SharedPluginJvm(members, client, null);
  }

  /** How messages name the JVM: the plugins in it. */
  static String description(List<PluginSpec> members) {
    return "the plugin JVM shared by " + String.join(", ", members.stream().map(PluginSpec::name).toList());
  }

  String description() {
    return description(members);
  }

  PluginClient client() {
    return client;
  }

  /** The endpoint of the plugin at this index of the members. */
  GrpcPluginEndpoint endpoint(int index, RenderRequest request, EngineLog log) {
    return GrpcPluginEndpoint.member(members.get(index), this, index, request, log);
  }

  /** Ends the JVM now, kept or not (a call to it timed out, say). */
  void stop() {
    client.close();
    if (kept != null) {
      client.pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** One plugin in it is done; the JVM stops with the last. */
  void release() {
    if (open.decrementAndGet() == 0) {
      if (kept != null && client.isAlive()) {
        kept.release();
      } else {
        client.close();
        if (kept != null) {
          kept.release();
        }
      }
    }
  }
}
