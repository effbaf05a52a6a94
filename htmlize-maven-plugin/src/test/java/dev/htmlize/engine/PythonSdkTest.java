package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.HtmlizerService;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.SiteService;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.RoleOccurrence;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK (htmlize-plugin-python) as a host sees it, with a real plugin process: the site through the broker,
 * the same checks on answers as the Java SDK in the single calls, a refused role at its occurrence (the
 * {@code htmlize-role-index} trailer), and a refusal of a host that offers no common protocol version.
 */
class PythonSdkTest {
  private static final Path SDK = Path.of("../htmlize-plugin-python/target/python").toAbsolutePath().normalize();
  private static final Path PLUGIN = Path.of("../htmlize-plugin-python/src/test/python/sdk_test_plugin.py")
      .toAbsolutePath().normalize();
  private static final Post GUIDE = new Post(7, "Ann", "The guide", "docs/guide.md", "docs/guide.html", "", List.of(),
      Map.of());

  private PluginClient client;
  private HtmlizerGrpc.HtmlizerBlockingStub plugin;

  private static ClientConfig.Builder config() {
    if (!Files.isRegularFile(SDK.resolve("htmlize_plugin/__init__.py"))) {
      String message = SDK + " is not built: it needs Debian's protobuf-compiler-grpc and python3-grpcio "
          + "(dev/install-test-deps installs them)";
      if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return ClientConfig.builder("sdk-test", HtmlizeProtocol.HANDSHAKE)
        .command(List.of("/usr/bin/python3", PLUGIN.toString()))
        .environment(Map.of("PATH", System.getenv("PATH"), "PYTHONPATH", SDK.toString()))
        .protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION));
  }

  @BeforeEach
  void start() throws Exception {
    client = PluginClient.start(config().build());
    plugin = client.dispense(HtmlizerGrpc::newBlockingStub);
    int site = client.broker().nextId();
    client.broker().acceptAndServe(site, new SiteService(() -> List.of(GUIDE)));
    plugin.configure(ConfigureRequest.newBuilder().putProperties("suffix", "!").setSiteBrokerId(site).build());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
  }

  private static ProcessRolesRequest roles(String... roleAndValue) {
    ProcessRolesRequest.Builder request = ProcessRolesRequest.newBuilder().setPost(Protos.toProto(GUIDE));
    for (int i = 0; i < roleAndValue.length; i += 2) {
      request.addRoles(RoleOccurrence.newBuilder().setRole(roleAndValue[i]).setValue(roleAndValue[i + 1])
          .setLine(i + 1));
    }
    return request.build();
  }

  @Test
  void aPluginReachesTheSiteThroughTheBrokerAndGetsItsProperties() {
    assertThat(plugin.processRoles(roles("title", "docs/guide.md", "echo", "hi")).getHtmlList())
        .containsExactly("The guide", "hi!");
    assertThat(plugin.processContents(ProcessContentsRequest.newBuilder().setHtml("<p>x</p>")
        .setPost(Protos.toProto(GUIDE)).build()).getHtml()).isEqualTo("<p>x</p><!-- pages: 1 -->");
  }

  @Test
  void aRefusedRoleNamesItsOccurrenceInTheTrailer() {
    assertThatThrownBy(() -> plugin.processRoles(roles("echo", "a", "refuse", "b", "echo", "c")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).endsWith(": INVALID_ARGUMENT: refused b");
          assertThat(e.getTrailers().get(HtmlizerService.ROLE_INDEX)).isEqualTo("1");
        });
    assertThatThrownBy(() -> plugin.processRole(ProcessRoleRequest.newBuilder().setRole("title")
        .setValue("docs/missing.md").setPost(Protos.toProto(GUIDE)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getDescription()).endsWith("no page docs/missing.md");
          assertThat(e.getTrailers().get(HtmlizerService.ROLE_INDEX)).isEqualTo("0");
        });
  }

  @Test
  void answersThatAreNotStringsFailTheSingleCallsAsInTheJavaSdk() {
    assertThatThrownBy(() -> plugin.processRole(ProcessRoleRequest.newBuilder().setRole("number").setValue("x")
        .setPost(Protos.toProto(GUIDE)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
            .isEqualTo(Status.Code.INTERNAL))
        .hasMessageEndingWith("TypeError: process_role returned int, not a string");
    assertThatThrownBy(() -> plugin.processContents(ProcessContentsRequest.newBuilder().setHtml("<!-- none -->")
        .setPost(Protos.toProto(GUIDE)).build()))
        .hasMessageEndingWith("TypeError: process_contents returned None, not a string");
    assertThatThrownBy(() -> plugin.processRoles(roles("fail", "k")))
        .hasMessageEndingWith("INTERNAL: KeyError: 'k'");
  }

  @Test
  void aHostThatOffersNoCommonVersionIsRefused() {
    assertThatThrownBy(() -> PluginClient.start(config().protocolVersions(Set.of(2)).build()))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("exited with status 1 before printing its handshake line")
        .hasMessageContaining("this plugin speaks htmlize's app protocol version 1, but the host offers 2");
  }
}
