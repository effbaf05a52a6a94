package dev.htmlize.engine;

import dev.htmlize.engine.testplugins.ShoutPlugin;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A build in its own JVM, for tests that signal or race whole builds: renders {@code SRC} into {@code OUT} with
 * {@code WORK} as its work directory, with the plugins named after them ({@code tt}, {@code shout},
 * {@code shout-with-a-large-heap}, or the path of an executable plugin). Every log line goes to stdout; the exit
 * status is 0 on success, 1 on a render failure.
 */
public final class EngineMain {
  private EngineMain() {
  }

  public static void main(String[] args) {
    RenderRequest.Builder request = RenderRequest.builder(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]))
        .layout(new Layout.None());
    for (int i = 3; i < args.length; i++) {
      switch (args[i]) {
        case "tt" -> request.plugin(TestPlugins.tt());
        case "shout" -> request.plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of()));
        case "shout-with-a-large-heap" -> request.plugin(TestPlugins.spec("shout", ShoutPlugin.class, Map.of(),
            List.of("-Xmx1g")));
        default -> request.plugin(new PluginSpec(Path.of(args[i]).getFileName().toString(), List.of(args[i]),
            Map.of(), Map.of(), null, args[i]));
      }
    }
    EngineLog log = new EngineLog() {
      @Override
      public void debug(String message) {
        print("[debug] " + message);
      }

      @Override
      public void info(String message) {
        print("[info] " + message);
      }

      @Override
      public void warn(String message) {
        print("[warn] " + message);
      }

      @Override
      public void error(String message) {
        print("[error] " + message);
      }
    };
    try {
      new Engine(log).render(request.build());
    } catch (RenderException e) {
      System.exit(1);
    }
    System.exit(0);
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
