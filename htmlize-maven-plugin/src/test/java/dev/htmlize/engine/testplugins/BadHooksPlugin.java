package dev.htmlize.engine.testplugins;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.HtmlizerService;
import java.util.List;

/** A test plugin that answers Hooks with an invalid hook, as a plugin written without the SDK might. */
public final class BadHooksPlugin {
  private BadHooksPlugin() {
  }

  public static void main(String[] args) {
    Htmlizer bad = () -> List.of("role:ok", "rolex:broken");
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION,
            new HtmlizerService(bad, new HclogWriter(System.err, "", LogLevel.INFO), null))
        .build());
  }
}
