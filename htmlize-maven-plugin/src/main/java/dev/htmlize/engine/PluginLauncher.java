package dev.htmlize.engine;

import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.Htmlizer;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the engine starts the plugins of a request: as processes speaking go-plugin's protocol ({@link #processes()},
 * what builds use), or as {@link Htmlizer} objects called in this JVM ({@link #inProcess}, the baseline for
 * benchmarks and tests).
 */
public final class PluginLauncher {
  /** Starts one plugin; package-private so that every endpoint is one of the engine's. */
  interface Launch {
    PluginEndpoint launch(PluginSpec spec, RenderRequest request, EngineLog log) throws PluginStartException;
  }

  private static final PluginLauncher PROCESSES = new PluginLauncher(GrpcPluginEndpoint::start);

  private final Launch launch;

  private PluginLauncher(Launch launch) {
    this.launch = launch;
  }

  /** Each plugin runs as its spec's command, a separate process. */
  public static PluginLauncher processes() {
    return PROCESSES;
  }

  /**
   * Each plugin is the {@link Htmlizer} the function gives for its spec, called in this JVM: no process, no
   * serialization. Hooks, {@code Configure} and the call sequence are the same as for processes.
   */
  public static PluginLauncher inProcess(Function<PluginSpec, Htmlizer> htmlizers) {
    Objects.requireNonNull(htmlizers);
    return new PluginLauncher((spec, request, log) -> new DirectPluginEndpoint(spec.name(),
        Objects.requireNonNull(htmlizers.apply(spec), () -> "no htmlizer for plugin " + spec.name())));
  }

  PluginEndpoint launch(PluginSpec spec, RenderRequest request, EngineLog log) throws PluginStartException {
    return launch.launch(spec, request, log);
  }
}
