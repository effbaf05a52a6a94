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
 */
public final class HtmlizerPlugin {
  private HtmlizerPlugin() {
  }

  /** Serves the htmlizers with go-plugin's protocol until the host shuts the plugin down; never returns. */
  public static void serve(String[] args, Htmlizer... htmlizers) {
    if (htmlizers.length == 0) {
      throw new IllegalArgumentException("no htmlizer to serve");
    }
    HclogWriter log = new HclogWriter(System.err, "", LogLevel.DEBUG);
    Htmlizer htmlizer = new CompositeHtmlizer(List.of(htmlizers));
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, broker -> List.of(new HtmlizerService(htmlizer, log, broker)))
        .debugFromArgs(args)
        .build());
  }
}
