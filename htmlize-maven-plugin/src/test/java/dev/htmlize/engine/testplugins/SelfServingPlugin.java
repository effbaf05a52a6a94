package dev.htmlize.engine.testplugins;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.HtmlizerService;
import dev.htmlize.plugin.Post;
import java.util.List;

/**
 * A test plugin that serves go-plugin's protocol through the runtime's {@link Serve} itself, not through
 * {@code HtmlizerPlugin.serve}: {@code :self:} answers with its process id.
 */
public final class SelfServingPlugin implements Htmlizer {
  public static void main(String[] args) {
    HclogWriter log = new HclogWriter(System.err, "self", LogLevel.DEBUG);
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION,
            broker -> List.of(new HtmlizerService(new SelfServingPlugin(), log, broker)))
        .build());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:self");
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return "self pid=" + ProcessHandle.current().pid();
  }
}
