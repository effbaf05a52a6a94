package dev.htmlize.goplugin.crosslang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.LogEntry;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.test.proto.CountRequest;
import dev.htmlize.goplugin.test.proto.CounterGrpc;
import dev.htmlize.goplugin.test.proto.EchoGrpc;
import dev.htmlize.goplugin.test.proto.EchoRequest;
import dev.htmlize.goplugin.testing.EchoPlugin;
import dev.htmlize.goplugin.testing.Plugins;
import dev.htmlize.goplugin.testing.PythonGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ends of the runtime against peers written in Python with Debian's grpcio. */
class PythonInteropTest {
  @TempDir
  Path temp;

  @Test
  void theJavaHostRunsAPythonPluginThatHasNoStdioOrBroker() throws Exception {
    Path stubs = PythonGrpc.stubs();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PYTHONPATH", stubs.toString());
    List<LogEntry> logs = new CopyOnWriteArrayList<>();
    ClientConfig config = ClientConfig.builder("python-echo", EchoPlugin.HANDSHAKE)
        .command(List.of(PythonGrpc.PYTHON.toString(), PythonGrpc.SCRIPTS.resolve("echo_plugin.py").toString()))
        .environment(env).socketParent(temp).logger(logs::add).build();

    PluginClient client = PluginClient.start(config);
    try (client) {
      assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("ünï").build())
          .getText()).isEqualTo("ünï");
      assertThat(client.dispense(CounterGrpc::newBlockingStub).count(CountRequest.newBuilder().setText("12345")
          .build()).getLength()).isEqualTo(5);
      client.ping(Duration.ofSeconds(5));
      client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder()
          .setLogMessage("warning from python").setLogLevel("warn").build());
    }

    assertThat(client.exitStatus()).hasValue(0);
    assertThat(logs).anyMatch(e -> e.message().equals("python plugin serving") && e.structured()
        && e.fields().get("@module").equals("python-echo"));
    assertThat(logs).anyMatch(e -> e.message().equals("warning from python") && e.level() == LogLevel.WARN);
    assertThat(logs).noneMatch(e -> e.message().contains("failed to exit gracefully"));
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void aPythonHostChecksTheJavaPluginSide() throws Exception {
    Path stubs = PythonGrpc.stubs();
    List<String> command = new ArrayList<>(List.of(PythonGrpc.PYTHON.toString(),
        PythonGrpc.SCRIPTS.resolve("check_java_plugin.py").toString()));
    command.addAll(Plugins.echoCommand(Plugins.testClassPath(), List.of()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PYTHONPATH", stubs.toString());

    Process host = builder.start();
    String output = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(host.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("OK handshake=1|1|unix|");
    assertThat(host.exitValue()).as(output).isZero();
  }
}
