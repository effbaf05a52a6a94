package dev.htmlize.engine;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plugin processes kept for the next render of the same build: the modules of a Maven reactor that declare the same
 * plugins use the same processes, started by the first module that needs them and ended with {@link #close} at the
 * build's end. What is kept is a launch unit (a plugin in a process of its own, or the Java plugins of one shared
 * plugin JVM), under a key made of everything that makes its processes what they are (see {@link #key}); a plugin's
 * properties are not part of it, since each render configures the plugins it uses again, with its own properties and
 * its own site. A process serves one site at a time, so a unit is used by one render at a time: modules rendering at
 * once (Maven's {@code -T}) start a unit each, and the next modules take whichever is free. A unit whose process
 * exited, or that failed a call by its transport (a timeout stops it), is not kept. Thread-safe.
 */
public final class PluginPool implements AutoCloseable {
  /** Idle units by key, the one given back last first. */
  private final Map<String, ArrayDeque<Unit>> idle = new HashMap<>();
  /** Every unit of the pool, idle or in use. */
  private final Set<Unit> units = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean closed;

  /**
   * Launched plugins that can serve the next render: the plugins in the order of their specs, and the log their lines
   * go to, which follows the render using them.
   */
  static final class Unit {
    private final String key;
    private final List<PluginManager.Started> plugins;
    private final SwitchableLog log;

    Unit(String key, List<PluginManager.Started> plugins, SwitchableLog log) {
      this.key = key;
      this.plugins = List.copyOf(plugins);
      this.log = log;
    }

    List<PluginManager.Started> plugins() {
      return plugins;
    }

    /** The same processes for another render: its specs (their properties), its request and log. */
    List<PluginManager.Started> rebind(List<PluginSpec> specs, RenderRequest request, EngineLog to) {
      log.switchTo(to);
      List<PluginManager.Started> rebound = new ArrayList<>(plugins.size());
      for (int i = 0; i < plugins.size(); i++) {
        PluginManager.Started plugin = plugins.get(i);
        plugin.endpoint().rebind(request);
        rebound.add(new PluginManager.Started(specs.get(i), plugin.endpoint(), plugin.hooks()));
      }
      return rebound;
    }

    boolean alive() {
      return plugins.stream().allMatch(p -> p.endpoint().alive());
    }

    void close() {
      plugins.parallelStream().forEach(p -> p.endpoint().close());
    }
  }

  /**
   * What makes a unit's processes what they are: for each of its plugins, in order, its name, its fingerprint (its
   * program or jars by content, its arguments), its pinned checksum, its command (with the files this execution wrote
   * under its work directory, such as a copied executable or an argument file named by its content, by their place
   * there rather than by the module's directory) and shutdown grace, or for a Java plugin its {@code java} and what
   * it runs (jars, main class, arguments, JVM options, SDK); its environment as it gets it, its transport; and whether
   * the build keeps its JVM between builds.
   */
  static String key(List<PluginSpec> members, RenderRequest request) {
    StringBuilder key = new StringBuilder();
    key.append("keepAlive=").append(request.keepAlive().map(k -> k.idle() + "@" + k.directory()).orElse("-"));
    Path work = request.workDirectory().toAbsolutePath().normalize();
    for (PluginSpec spec : members) {
      key.append("\n").append(spec.name()).append('|').append(spec.fingerprint()).append('|').append(spec.sha256())
          .append('|');
      if (spec.java().isPresent()) {
        // Its java launcher and what it runs: the rest of its command (class-data sharing's options, which change
        // once the archive is written) does not make it another plugin.
        key.append(spec.command().get(0)).append('|').append(spec.java().get());
      } else {
        for (String argument : spec.command()) {
          key.append(relative(argument, work)).append('\u0000');
        }
        key.append('|').append(spec.shutdownGrace());
      }
      key.append('|').append(new java.util.TreeMap<>(PluginEnvironment.of(request, spec))).append('|')
          .append(spec.autoMtls()).append(spec.allowPlaintextTcp());
    }
    return key.toString();
  }

  /** An argument naming a file under the work directory ({@code @FILE} too), by its place there. */
  private static String relative(String argument, Path work) {
    String prefix = argument.startsWith("@") ? "@" : "";
    String path = argument.substring(prefix.length());
    try {
      Path file = Path.of(path);
      if (file.isAbsolute() && file.normalize().startsWith(work)) {
        return prefix + "<work>/" + work.relativize(file.normalize());
      }
    } catch (java.nio.file.InvalidPathException e) {
      // Not a path: the argument as it is.
    }
    return argument;
  }

  /** An idle unit launched under this key, now in use; or {@code null}. Units found dead meanwhile are closed. */
  Unit take(String key) {
    List<Unit> dead = new ArrayList<>();
    Unit found = null;
    synchronized (this) {
      ArrayDeque<Unit> free = idle.get(key);
      while (free != null && !free.isEmpty() && found == null) {
        Unit unit = free.pollLast();
        if (unit.alive()) {
          found = unit;
        } else {
          units.remove(unit);
          dead.add(unit);
        }
      }
    }
    dead.forEach(Unit::close);
    return found;
  }

  /** Takes a unit just launched into the pool, in use; {@code false} once the pool is closed (the caller owns it). */
  synchronized boolean add(Unit unit) {
    if (closed) {
      return false;
    }
    units.add(unit);
    return true;
  }

  /** A render is done with the unit: it is kept for the next, or closed if its processes are not all well. */
  void giveBack(Unit unit) {
    boolean keep;
    synchronized (this) {
      keep = !closed && units.contains(unit) && unit.alive();
      if (keep) {
        idle.computeIfAbsent(unit.key, k -> new ArrayDeque<>()).addLast(unit);
      } else {
        units.remove(unit);
      }
    }
    if (!keep) {
      unit.close();
    }
  }

  /** How many units the pool holds, idle or in use. */
  public synchronized int size() {
    return units.size();
  }

  /** Ends the pool's idle processes, in parallel; those in use end when given back. */
  @Override
  public void close() {
    List<Unit> free = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(free::addAll);
      idle.clear();
      free.forEach(units::remove);
    }
    free.parallelStream().forEach(Unit::close);
  }
}
