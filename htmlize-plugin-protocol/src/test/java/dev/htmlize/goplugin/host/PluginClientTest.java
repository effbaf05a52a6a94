package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.test.proto.CountRequest;
import dev.htmlize.goplugin.test.proto.CounterGrpc;
import dev.htmlize.goplugin.test.proto.EchoGrpc;
import dev.htmlize.goplugin.test.proto.EchoRequest;
import dev.htmlize.goplugin.test.proto.EchoResponse;
import dev.htmlize.goplugin.testing.EchoPlugin;
import dev.htmlize.goplugin.testing.HostMain;
import dev.htmlize.goplugin.testing.Plugins;
import dev.htmlize.goplugin.testing.Processes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host side against real plugin processes over real sockets. */
class PluginClientTest {
  private static final String CP = Plugins.testClassPath();

  @TempDir
  Path temp;

  private final List<LogEntry> logs = new CopyOnWriteArrayList<>();
  private final CountDownLatch sleeping = new CountDownLatch(1);

  private void log(LogEntry entry) {
    logs.add(entry);
    if (entry.message().equals("sleeping")) {
      sleeping.countDown();
    }
  }

  private ClientConfig.Builder echo(String... args) {
    return Plugins.echo(CP, args).logger(this::log).socketParent(temp);
  }

  @Test
  void handshakesCallsBothLogicalPluginsPingsAndShutsDownGracefully() throws Exception {
    PluginClient client = PluginClient.start(echo().build());
    ProcessHandle plugin = ProcessHandle.of(client.pid().orElseThrow()).orElseThrow();
    Path socket = Path.of(client.reattachConfig().address());
    try (client) {
      EchoResponse reply = client.dispense(EchoGrpc::newBlockingStub)
          .echo(EchoRequest.newBuilder().setText("héllo").build());
      int length = client.dispense(CounterGrpc::newBlockingStub)
          .count(CountRequest.newBuilder().setText("héllo").build()).getLength();
      client.ping(Duration.ofSeconds(5));

      assertThat(reply.getText()).isEqualTo("héllo");
      assertThat(reply.getPid()).isEqualTo(plugin.pid());
      assertThat(length).isEqualTo(5);
      assertThat(client.protocolVersion()).isEqualTo(1);
      assertThat(client.reattachConfig().network()).isEqualTo(Network.UNIX);
      assertThat(socket).startsWith(temp);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
          .isEqualTo("rwx------");
    }

    assertThat(plugin.isAlive()).isFalse();
    assertThat(client.exitStatus()).hasValue(0);
    assertThat(logs).noneMatch(e -> e.message().contains("failed to exit gracefully"));
    assertThat(socket).doesNotExist();
    assertThat(socket.getParent()).doesNotExist();
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void exitsWithStatusZeroOnShutdownRatherThanBeingKilled() throws Exception {
    PluginClient client = PluginClient.start(echo().build());

    client.close();
    client.close();

    assertThat(client.exitStatus()).hasValue(0);
    assertThat(logs).noneMatch(e -> e.level() == LogLevel.WARN);
  }

  @Test
  void forwardsHclogLinesWithTheirLevels() throws Exception {
    try (PluginClient client = PluginClient.start(echo().build())) {
      for (String level : List.of("trace", "debug", "info", "warn", "error")) {
        client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder()
            .setLogMessage("message at " + level).setLogLevel(level).build());
      }
    }

    for (LogLevel level : LogLevel.values()) {
      String message = "message at " + level.jsonName();
      assertThat(logs).filteredOn(e -> e.message().equals(message))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.level()).isEqualTo(level);
            assertThat(e.structured()).isTrue();
            assertThat(e.fields()).containsEntry("@module", "echo").containsEntry("version", "1");
          });
    }
    assertThat(logs).anyMatch(e -> e.message().equals("plugin address") && e.fields().containsKey("address"));
  }

  @Test
  void streamsTheSystemOutAndSystemErrOfThePluginUnchanged() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StdioSink sink = new StdioSink() {
      @Override
      public synchronized void stdout(byte[] data) {
        out.writeBytes(data);
      }

      @Override
      public synchronized void stderr(byte[] data) {
        err.writeBytes(data);
      }
    };
    String line = "ünïcode line without newline ";
    int repeat = 40_000;
    try (PluginClient client = PluginClient.start(echo().stdio(sink).build())) {
      client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder()
          .setPrintStdout(line).setRepeat(repeat).setPrintStderr("to stderr\n").build());
      client.ping(Duration.ofSeconds(5));
    }

    synchronized (sink) {
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(line.repeat(repeat));
      assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to stderr\n");
    }
  }

  @Test
  void tensOfMegabytesOnStdoutAndStderrNeitherDeadlockNorGetLost() throws Exception {
    long[] stdoutBytes = {0};
    StdioSink counting = new StdioSink() {
      @Override
      public synchronized void stdout(byte[] data) {
        stdoutBytes[0] += data.length;
      }

      @Override
      public void stderr(byte[] data) {
      }
    };
    java.util.concurrent.atomic.AtomicInteger floodLines = new java.util.concurrent.atomic.AtomicInteger();
    String line = "0123456789".repeat(100);
    int repeat = 20_000;
    int logLines = 100_000;
    try (PluginClient client = PluginClient.start(echo().stdio(counting).logger(entry -> {
      if (entry.message().startsWith("flood line ")) {
        floodLines.incrementAndGet();
      }
    }).build())) {
      client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder()
          .setPrintStdout(line).setRepeat(repeat).setLogLines(logLines).build());
      client.ping(Duration.ofSeconds(5));
    }

    synchronized (counting) {
      assertThat(stdoutBytes[0]).isEqualTo((long) line.length() * repeat);
    }
    assertThat(floodLines.get()).isEqualTo(logLines);
  }

  @Test
  void aPluginKilledMidCallFailsTheCallNamingThePluginAndHowItDied() throws Exception {
    try (PluginClient client = PluginClient.start(echo().build())) {
      CompletableFuture<EchoResponse> call = CompletableFuture.supplyAsync(() ->
          client.dispense(EchoGrpc::newBlockingStub).withDeadlineAfter(60, TimeUnit.SECONDS)
              .echo(EchoRequest.newBuilder().setDelayMillis(60_000).build()));
      assertThat(sleeping.await(30, TimeUnit.SECONDS)).isTrue();

      ProcessHandle.of(client.pid().orElseThrow()).orElseThrow().destroyForcibly();

      assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
          .cause().isInstanceOf(StatusRuntimeException.class)
          .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
              .isEqualTo(Status.Code.UNAVAILABLE))
          .hasMessageContaining("plugin echo (pid " + client.pid().orElseThrow() + ")")
          .hasMessageContaining("was killed by signal 9");
    }
  }

  @Test
  void aPluginThatExitsMidCallIsReportedWithItsStatusAndLastStderrLines() throws Exception {
    try (PluginClient client = PluginClient.start(echo().build())) {
      assertThatThrownBy(() -> client.dispense(EchoGrpc::newBlockingStub)
          .echo(EchoRequest.newBuilder().setPrintStderr("about to die\n").setExitStatus(3).build()))
          .isInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("plugin echo")
          .hasMessageContaining("exited with status 3")
          .hasMessageContaining("exiting as asked");
    }
  }

  @Test
  void aHungCallMeetsTheDefaultDeadlineAndNamesThePlugin() throws Exception {
    try (PluginClient client = PluginClient.start(echo().callTimeout(Duration.ofMillis(300)).build())) {
      assertThatThrownBy(() -> client.dispense(EchoGrpc::newBlockingStub)
          .echo(EchoRequest.newBuilder().setDelayMillis(600_000).build()))
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED))
          .hasMessageContaining("plugin echo");
      client.ping(Duration.ofSeconds(5));
    }
  }

  @Test
  void aWrongCookieEndsThePluginWithItsMessageBeforeAnyHandshake() {
    ClientConfig config = ClientConfig.builder("echo", new dev.htmlize.goplugin.HandshakeConfig(
            EchoPlugin.HANDSHAKE.magicCookieKey(), "wrong"))
        .command(Plugins.echoCommand(CP, List.of())).socketParent(temp).build();

    assertThatThrownBy(() -> PluginClient.start(config))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("exited with status 1 before printing its handshake line")
        .hasMessageContaining("This binary is a plugin. These are not meant to be executed directly.");
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void noCommonVersionNamesBothSides() {
    assertThatThrownBy(() -> PluginClient.start(echo("--versions=1,2").protocolVersions(Set.of(3, 4)).build()))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("chose app protocol version 1, but this host speaks [3, 4]");
  }

  @Test
  void negotiatesTheHighestCommonVersion() throws Exception {
    try (PluginClient client = PluginClient.start(echo("--versions=1,2,3").protocolVersions(Set.of(2, 3, 7)).build())) {
      assertThat(client.protocolVersion()).isEqualTo(3);
    }
  }

  @Test
  void aGarbageFirstLineIsQuoted() {
    ClientConfig config = shell("echo 'Starting the plugin...'; sleep 30");

    assertThatThrownBy(() -> PluginClient.start(config))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("printed an unexpected first line on stdout: \"Starting the plugin...\"");
  }

  @Test
  void aPluginThatExitsEarlyIsReportedWithItsStatusAndStderr() {
    ClientConfig config = shell("echo 'cannot open config.yml' >&2; exit 3");

    assertThatThrownBy(() -> PluginClient.start(config))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("exited with status 3 before printing its handshake line")
        .hasMessageContaining("| cannot open config.yml");
  }

  @Test
  void aPluginThatPrintsNothingTimesOutAndIsKilled() throws Exception {
    Path pidFile = temp.resolve("pid");
    ClientConfig config = ClientConfig.builder("silent", EchoPlugin.HANDSHAKE)
        .command(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60"))
        .startTimeout(Duration.ofMillis(500)).socketParent(temp).build();

    assertThatThrownBy(() -> PluginClient.start(config))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("printed no handshake line within 500 ms; it was killed");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aMissingProgramIsReported() {
    ClientConfig config = ClientConfig.builder("ghost", EchoPlugin.HANDSHAKE)
        .command(List.of(temp.resolve("no-such-plugin").toString())).socketParent(temp).build();

    assertThatThrownBy(() -> PluginClient.start(config))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("plugin ghost: cannot run");
  }

  @Test
  void aNetRpcPluginOrAnUnknownVersionIsRefused() {
    assertThatThrownBy(() -> PluginClient.start(shell("echo '1|1|unix|/tmp/x'; sleep 30")))
        .hasMessageContaining("speaks protocol \"netrpc\"; only grpc plugins are supported");
    assertThatThrownBy(() -> PluginClient.start(shell("echo '1|9|unix|/tmp/x|grpc|'; sleep 30")))
        .hasMessageContaining("chose app protocol version 9, but this host speaks [1]");
  }

  @Test
  void plaintextTcpIsRefusedUnlessAllowed() throws Exception {
    assertThatThrownBy(() -> PluginClient.start(echo().network(Network.TCP).build()))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("listens on plaintext TCP");

    try (PluginClient client = PluginClient.start(echo().network(Network.TCP).allowPlaintextTcp(true).build())) {
      assertThat(client.reattachConfig().network()).isEqualTo(Network.TCP);
      assertThat(client.reattachConfig().address()).startsWith("127.0.0.1:");
      client.ping(Duration.ofSeconds(5));
    }
  }

  @Test
  void autoMtlsOverTcpInThePortRange() throws Exception {
    int port = freePort();
    try (PluginClient client = PluginClient.start(echo().network(Network.TCP).autoMtls(true)
        .portRange(port, port).build())) {
      assertThat(client.reattachConfig().address()).isEqualTo("127.0.0.1:" + port);
      assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("tls").build())
          .getText()).isEqualTo("tls");
    }
  }

  @Test
  void autoMtlsOverAUnixSocket() throws Exception {
    try (PluginClient client = PluginClient.start(echo().autoMtls(true).build())) {
      assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("x").build())
          .getText()).isEqualTo("x");
    }
  }

  @Test
  void aPluginThatIgnoresAutoMtlsIsRefused() {
    assertThatThrownBy(() -> PluginClient.start(shellBuilder("echo '1|1|unix|/tmp/x|grpc|'; sleep 30").autoMtls(true).build()))
        .hasMessageContaining("sent no certificate in its handshake though AutoMTLS was asked");
  }

  @Test
  void theSha256OfTheExecutableIsChecked() throws Exception {
    Path java = Path.of(Plugins.echoCommand(CP, List.of()).get(0));
    String digest = dev.htmlize.goplugin.Sha256.hex(java);
    String wrong = "0".repeat(64);

    assertThatThrownBy(() -> PluginClient.start(echo().sha256(wrong).build()))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("the SHA-256 of " + java + " did not match: expected " + wrong + ", found " + digest);
    try (PluginClient client = PluginClient.start(echo().sha256(digest).build())) {
      client.ping(Duration.ofSeconds(5));
    }
  }

  @Test
  void aJvmWarningCannotCorruptTheHandshake() throws Exception {
    List<String> unprotected = new ArrayList<>(Plugins.echoCommand(CP, List.of("-XX:+UseLargePages")));
    unprotected.removeAll(JavaCommand.CLEAN_STDOUT_OPTIONS);
    Process bare = new ProcessBuilder(unprotected).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String firstLine;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(bare.getInputStream(),
        StandardCharsets.UTF_8))) {
      firstLine = out.readLine();
    } finally {
      bare.destroyForcibly();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(firstLine != null && firstLine.contains("[warning]"),
        "this machine has large pages, so -XX:+UseLargePages provokes no warning");

    ClientConfig config = echo().command(Plugins.echoCommand(CP, List.of("-XX:+UseLargePages"))).build();
    try (PluginClient client = PluginClient.start(config)) {
      client.ping(Duration.ofSeconds(5));
    }
    assertThat(logs).anyMatch(e -> e.message().contains("UseLargePages"));
  }

  @Test
  void ignoresSigint() throws Exception {
    try (PluginClient client = PluginClient.start(echo().build())) {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(client.pid().orElseThrow())).start();
      assertThat(kill.waitFor()).isZero();

      client.ping(Duration.ofSeconds(5));
      assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("still").build())
          .getText()).isEqualTo("still");
      assertThat(client.isAlive()).isTrue();
    }
  }

  @Test
  void keepsServingWithStdinAtEndOfFile() throws Exception {
    try (PluginClient client = PluginClient.start(echo().build())) {
      assertThatThrownBy(() -> client.onExit().get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
      assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("up").build())
          .getText()).isEqualTo("up");
    }
  }

  @Test
  void aPluginEndsWithinTwoSecondsWhenItsHostIsKilled() throws Exception {
    Process host = startHost();
    long pluginPid = readPluginPid(host);

    host.destroyForcibly();
    host.waitFor();

    assertThat(Processes.awaitStopped(pluginPid, Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void theShutdownHookEndsAPluginWhenTheHostIsTerminated() throws Exception {
    Process host = startHost();
    long pluginPid = readPluginPid(host);

    host.destroy();

    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Processes.isRunning(pluginPid)).isFalse();
  }

  @Test
  void theShutdownHookEndsAPluginThatNobodyClosed() throws Exception {
    Process host = startHost("--exit");
    long pluginPid = readPluginPid(host);

    assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(host.exitValue()).isZero();
    assertThat(Processes.isRunning(pluginPid)).isFalse();
  }

  private static Process startHost(String... args) throws IOException {
    List<String> command = new ArrayList<>(Plugins.echoCommand(CP, List.of()));
    command.set(command.size() - 1, HostMain.class.getName());
    command.add(CP);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static long readPluginPid(Process host) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
    return Long.parseLong(out.readLine().strip());
  }

  @Test
  void reattachesToAPluginInDebugModeAndLeavesItRunning() throws Exception {
    Process plugin = new ProcessBuilder(Plugins.echoCommand(CP, List.of(), "--debug"))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      ReattachConfig reattach;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(plugin.getInputStream(),
          StandardCharsets.UTF_8))) {
        reattach = ReattachConfig.fromJson(out.readLine());
      }
      assertThat(reattach.test()).isTrue();
      assertThat(reattach.pid()).isEqualTo(plugin.pid());

      try (PluginClient client = PluginClient.reattach(reattach, ClientConfig.builder("echo", EchoPlugin.HANDSHAKE)
          .build())) {
        assertThat(client.dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("attached")
            .build()).getPid()).isEqualTo(plugin.pid());
      }
      try (PluginClient again = PluginClient.reattach(reattach, ClientConfig.builder("echo", EchoPlugin.HANDSHAKE)
          .build())) {
        again.ping(Duration.ofSeconds(5));
      }
      assertThat(plugin.isAlive()).isTrue();
    } finally {
      plugin.destroyForcibly();
    }
  }

  @Test
  void reattachingToAProcessThatIsGoneFails() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    ReattachConfig config = new ReattachConfig("grpc", 1, Network.UNIX, temp.resolve("sock").toString(),
        gone.pid(), true);

    assertThatThrownBy(() -> PluginClient.reattach(config, ClientConfig.builder("echo", EchoPlugin.HANDSHAKE).build()))
        .isInstanceOf(PluginStartException.class)
        .hasMessageContaining("reattachment process " + gone.pid() + " not found");
  }

  private ClientConfig shell(String script) {
    return shellBuilder(script).build();
  }

  private ClientConfig.Builder shellBuilder(String script) {
    return ClientConfig.builder("fake", EchoPlugin.HANDSHAKE).command(List.of("sh", "-c", script))
        .socketParent(temp).logger(this::log);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
