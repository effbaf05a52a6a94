package dev.htmlize.goplugin.testing;

import dev.htmlize.goplugin.host.PluginClient;

/**
 * A host process for tests that kill the host: starts the echo plugin, prints the plugin's pid on stdout, and waits
 * until it is killed. Arguments: the test JVM's class path, then {@code --exit} to exit at once without closing the
 * plugin (which the runtime's shutdown hook must then end).
 */
public final class HostMain {
  private HostMain() {
  }

  public static void main(String[] args) throws Exception {
    PluginClient client = PluginClient.start(Plugins.echo(args[0]).build());
    System.out.println(client.pid().orElseThrow());
    System.out.flush();
    if (args.length > 1 && args[1].equals("--exit")) {
      System.exit(0);
    }
    Thread.currentThread().join();
  }
}
