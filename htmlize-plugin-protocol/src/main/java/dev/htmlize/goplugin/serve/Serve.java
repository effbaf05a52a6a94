package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.SocketDirectory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * A plugin's {@code main}: go-plugin's {@code Serve}. It owns the process: it sends {@code java.util.logging} to
 * stderr as hclog JSON, serves (see {@link PluginServer}), then points {@code System.out} and {@code System.err} at
 * the host through {@code plugin.GRPCStdio}, ignores SIGINT (the plugin shares the host's process group, and the host
 * decides when it ends), exits when its host process dies (watched from its first instruction), and exits with
 * status 0 after {@code Shutdown}. A plugin that cannot serve (wrong cookie, say) writes why on stderr and exits with
 * status 1, printing nothing on stdout.
 */
public final class Serve {
  /** Set on a thread that runs a plugin's {@code main} as a guest of a process that serves already. */
  private static final ThreadLocal<Boolean> GUEST = new ThreadLocal<>();

  private Serve() {
  }

  /**
   * Runs a plugin's {@code main} in a process that is served already (a plugin JVM shared by several plugins): a
   * {@link #serve} called meanwhile on this thread throws {@link NotAGuest} instead of serving (and exiting).
   */
  public static void runAsGuest(Runnable main) {
    Boolean before = GUEST.get();
    GUEST.set(Boolean.TRUE);
    try {
      main.run();
    } finally {
      if (before == null) {
        GUEST.remove();
      } else {
        GUEST.set(before);
      }
    }
  }

  /** Thrown by {@link #serve} in a guest's {@code main}: the plugin serves itself and cannot share a process. */
  public static final class NotAGuest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAGuest() {
      super("the plugin serves go-plugin's protocol itself");
    }
  }

  /** Serves until shut down, then exits the JVM. Never returns (but throws {@link NotAGuest}, see there). */
  public static void serve(ServeConfig config) {
    if (Boolean.TRUE.equals(GUEST.get())) {
      throw new NotAGuest();
    }
    PrintStream stderr = config.stderr();
    HclogWriter log = new HclogWriter(stderr, config.module(), config.logLevel());
    // The host is watched before anything else: a JVM takes a while to get here, and a host killed meanwhile must not
    // leave the plugin running.
    AtomicReference<PluginServer> running = new AtomicReference<>();
    if (!config.debug()) {
      HostWatch.start(config.environment(), config.parentPollInterval(), () -> hostGone(running.get(), config, log));
    }
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
    running.set(server);
    // Ended by a signal (a plugin in debug mode by Ctrl-C or SIGTERM, say): the socket and its private directory go.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "plugin-server-close"));
    if (!config.debug()) {
      System.setOut(server.stdio().stdout());
      System.setErr(server.stdio().stderr());
      Signal.handle(new Signal("INT"), signal -> log.trace("plugin received interrupt signal, ignoring"));
    }
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(0);
  }

  /**
   * The host died without shutting the plugin down: the plugin removes its sockets and the directory the host made
   * for them, then ends at once, with status 0. Halting skips what a JVM does at a normal exit that would keep a
   * plugin without a host alive for a second or more (a class-data archive dumped at exit, say). Nothing here needs a
   * write to succeed; the warning goes to a stderr that may be closed.
   */
  private static void hostGone(PluginServer server, ServeConfig config, HclogWriter log) {
    // The files first: once the server is closed, main may exit the JVM before this thread goes on.
    config.env(GoPluginEnv.UNIX_SOCKET_DIR).filter(dir -> !dir.isBlank()).map(Path::of)
        .ifPresent(SocketDirectory::removeLeftByDeadHost);
    log.warn("the host process is gone; exiting");
    if (server != null) {
      server.close();
    }
    Runtime.getRuntime().halt(0);
  }

  private static void routeJavaLogging(HclogWriter log) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.addHandler(new HclogHandler(log));
  }
}
