package dev.htmlize.plugin;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import java.util.List;

/**
 * A plugin's one-line {@code main}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   HtmlizerPlugin.serve(args, new TtHtmlizer());
 * }
 * }</pre>
 *
 * <p>Several htmlizers may share one process: their hooks are united, each role goes to the last one that registers
 * it, and contents hooks run in the given order. {@code --debug} among the arguments starts the plugin by hand for a
 * debugger (see {@link ServeConfig.Builder#debug}).
 *
 * <p>Where htmlize loads the plugin's jar itself (in a plugin JVM shared with other plugins, or in the build's JVM;
 * see {@link PluginLoader}), {@code serve} hands the htmlizers to it and returns.
 */
public final class HtmlizerPlugin {
  private HtmlizerPlugin() {
  }

  /**
   * Serves the htmlizers with go-plugin's protocol until the host shuts the plugin down; never returns, except to a
   * {@link PluginLoader} that is loading the plugin.
   */
  public static void serve(String[] args, Htmlizer... htmlizers) {
    if (htmlizers.length == 0) {
      throw new IllegalArgumentException("no htmlizer to serve");
    }
    Htmlizer htmlizer = new CompositeHtmlizer(List.of(htmlizers));
    if (PluginLoader.capture(htmlizer)) {
      return;
    }
    HclogWriter log = new HclogWriter(System.err, "", LogLevel.DEBUG);
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, broker -> List.of(new HtmlizerService(htmlizer, log, broker)))
        .debugFromArgs(args)
        .build());
  }
}
