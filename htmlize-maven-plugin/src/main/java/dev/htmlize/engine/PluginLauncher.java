package dev.htmlize.engine;

import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.PluginLoader;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the engine starts the plugins of a request: as builds do ({@link #processes()}: processes speaking go-plugin's
 * protocol, the Java plugins in one shared plugin JVM, an {@code inProcess} plugin in this JVM), or as {@link Htmlizer}
 * objects called in this JVM ({@link #inProcess}, the baseline for benchmarks and tests).
 */
public final class PluginLauncher {
  /** Starts one plugin; package-private so that every endpoint is one of the engine's. */
  interface Launch {
    PluginEndpoint launch(PluginSpec spec, RenderRequest request, EngineLog log) throws PluginStartException;
  }

  private static final PluginLauncher PROCESSES = new PluginLauncher(PluginLauncher::start, true, null);

  private final Launch launch;
  private final boolean shares;
  private final PluginPool pool;

  private PluginLauncher(Launch launch, boolean shares, PluginPool pool) {
    this.launch = launch;
    this.shares = shares;
    this.pool = pool;
  }

  /**
   * Each plugin runs as its spec says: a process of its own, one plugin JVM for the Java plugins that can share it
   * ({@link JavaPlugin.Mode#SHARED}), or loaded in this JVM ({@link JavaPlugin.Mode#IN_PROCESS}).
   */
  public static PluginLauncher processes() {
    return PROCESSES;
  }

  /**
   * As {@link #processes()}, with the processes kept in the pool when a render is done with them, for the next render
   * with the same plugins to use (the modules of one build); the pool's owner closes it.
   */
  public static PluginLauncher processes(PluginPool pool) {
    return new PluginLauncher(PluginLauncher::start, true, Objects.requireNonNull(pool));
  }

  /**
   * Each plugin is the {@link Htmlizer} the function gives for its spec, called in this JVM: no process, no
   * serialization. Hooks, {@code Configure} and the call sequence are the same as for processes.
   */
  public static PluginLauncher inProcess(Function<PluginSpec, Htmlizer> htmlizers) {
    Objects.requireNonNull(htmlizers);
    return new PluginLauncher((spec, request, log) -> new DirectPluginEndpoint(spec.name(),
        Objects.requireNonNull(htmlizers.apply(spec), () -> "no htmlizer for plugin " + spec.name())), false, null);
  }

  /** Where processes are kept between renders, or {@code null}: each render ends those it started. */
  PluginPool pool() {
    return pool;
  }

  /** Whether Java plugins that can share a plugin JVM are launched together in one. */
  boolean shares() {
    return shares;
  }

  PluginEndpoint launch(PluginSpec spec, RenderRequest request, EngineLog log) throws PluginStartException {
    return launch.launch(spec, request, log);
  }

  /** A plugin in a process of its own, or, {@code inProcess}, loaded in this JVM from its jars. */
  private static PluginEndpoint start(PluginSpec spec, RenderRequest request, EngineLog log)
      throws PluginStartException {
    if (spec.mode() != JavaPlugin.Mode.IN_PROCESS) {
      return GrpcPluginEndpoint.start(spec, request, log);
    }
    JavaPlugin java = spec.java().orElseThrow();
    try {
      PluginLoader.Loaded loaded = PluginLoader.load(spec.name(), java.classPath(), java.mainClass(),
          java.arguments());
      log.debug("htmlize: plugin " + spec.name() + " loaded in the build's JVM");
      return new DirectPluginEndpoint(spec.name(), loaded.htmlizer(), loaded);
    } catch (PluginLoader.LoadException e) {
      throw new PluginStartException(spec.name(), "cannot load it in the build's JVM (<inProcess>): "
          + e.getMessage() + (e.servesItself() ? "; it runs as a process of its own only" : ""), e);
    }
  }
}
