package dev.htmlize.bench;

import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import java.util.List;
import java.util.Map;

/**
 * One plugin to call: the {@link Htmlizer} itself ({@code direct}), or the same class in a plugin process over a
 * unix socket or loopback TCP, called as the engine calls it (a blocking stub, {@code Post} and values converted to
 * protobuf on every call).
 */
final class PluginCallState implements AutoCloseable {
  static final Post POST = new Post(42, "Ann", "A page", "docs/page.md", "docs/page.html", "2024-01-02",
      List.of("a", "b"), Map.of("weight", "3"));

  final Htmlizer direct;
  final PluginClient client;
  final HtmlizerGrpc.HtmlizerBlockingStub stub;

  PluginCallState(Class<? extends Htmlizer> plugin, String transport) throws ReflectiveOperationException,
      PluginStartException {
    direct = plugin.getDeclaredConstructor().newInstance();
    client = switch (transport) {
      case "direct" -> null;
      case "unix" -> PluginClient.start(BenchPlugins.client(plugin, Network.UNIX, BenchPlugins.cdsDirectory(true)));
      case "tcp" -> PluginClient.start(BenchPlugins.client(plugin, Network.TCP, BenchPlugins.cdsDirectory(true)));
      default -> throw new IllegalArgumentException(transport);
    };
    stub = client == null ? null : client.dispense(HtmlizerGrpc::newBlockingStub);
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
