package dev.htmlize.goplugin.serve;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * A plugin's {@code main}: go-plugin's {@code Serve}. It owns the process: it sends {@code java.util.logging} to
 * stderr as hclog JSON, serves (see {@link PluginServer}), then points {@code System.out} and {@code System.err} at
 * the host through {@code plugin.GRPCStdio}, ignores SIGINT (the plugin shares the host's process group, and the host
 * decides when it ends), exits when its host process dies, and exits with status 0 after {@code Shutdown}. A plugin
 * that cannot serve (wrong cookie, say) writes why on stderr and exits with status 1, printing nothing on stdout.
 */
public final class Serve {
  private Serve() {
  }

  /** Serves until shut down, then exits the JVM. Never returns. */
  public static void serve(ServeConfig config) {
    PrintStream stderr = config.stderr();
    HclogWriter log = new HclogWriter(stderr, config.module(), config.logLevel());
    routeJavaLogging(log);
    // An uncaught exception is written at once on the original stderr, which the host keeps the tail of: if it takes
    // the plugin down, the host's error shows it (System.err goes to the host through the stdio stream, which a
    // dying process may not get to send).
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      log.error("uncaught exception in thread " + thread.getName(), "error", e.toString(), "trace", trace.toString());
    });
    PluginServer server;
    try {
      server = PluginServer.start(config);
    } catch (PluginServeException e) {
      stderr.println(e.getMessage());
      stderr.flush();
      System.exit(1);
      return;
    }
    // Ended by a signal (a plugin in debug mode by Ctrl-C or SIGTERM, say): the socket and its private directory go.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plugin-server-close"));
    if (!config.debug()) {
      System.setOut(server.stdio().stdout());
      System.setErr(server.stdio().stderr());
      Signal.handle(new Signal("INT"), signal -> log.trace("plugin received interrupt signal, ignoring"));
      ParentWatch.start(config.parentPollInterval(), () -> {
        log.warn("the host process is gone; exiting");
        server.close();
      });
    }
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(0);
  }

  private static void routeJavaLogging(HclogWriter log) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.addHandler(new HclogHandler(log));
  }
}
