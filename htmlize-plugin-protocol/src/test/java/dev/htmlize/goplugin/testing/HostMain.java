package dev.htmlize.goplugin.testing;

import dev.htmlize.goplugin.host.PluginClient;

/**
 * A host process for tests that kill the host: starts the echo plugin, prints the plugin's pid on stdout, and waits
 * until it is killed. Arguments: the test JVM's class path.
 */
public final class HostMain {
  private HostMain() {
  }

  public static void main(String[] args) throws Exception {
    PluginClient client = PluginClient.start(Plugins.echo(args[0]).build());
    System.out.println(client.pid().orElseThrow());
    System.out.flush();
    Thread.currentThread().join();
  }
}
