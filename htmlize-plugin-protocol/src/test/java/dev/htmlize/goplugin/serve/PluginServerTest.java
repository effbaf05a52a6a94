package dev.htmlize.goplugin.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.AutoMtls;
import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.HandshakeConfig;
import dev.htmlize.goplugin.HandshakeLine;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.Transports;
import dev.htmlize.goplugin.proto.Empty;
import dev.htmlize.goplugin.proto.GRPCControllerGrpc;
import dev.htmlize.goplugin.test.proto.CountRequest;
import dev.htmlize.goplugin.test.proto.CountResponse;
import dev.htmlize.goplugin.test.proto.CounterGrpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin side in this JVM, seen from a plain gRPC client. */
class PluginServerTest {
  private static final HandshakeConfig HANDSHAKE = new HandshakeConfig("TEST_PLUGIN", "magic");

  @TempDir
  Path temp;

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final EventLoopGroup group = Transports.newEventLoopGroup("test-client", 1);

  @AfterEach
  void stopGroup() {
    Transports.shutdown(group);
  }

  private Map<String, String> env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put(HANDSHAKE.magicCookieKey(), HANDSHAKE.magicCookieValue());
    env.put(GoPluginEnv.PROTOCOL_VERSIONS, "1");
    env.put(GoPluginEnv.UNIX_SOCKET_DIR, temp.toString());
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] == null) {
        env.remove(keyValues[i]);
      } else {
        env.put(keyValues[i], keyValues[i + 1]);
      }
    }
    return env;
  }

  private ServeConfig.Builder config(Map<String, String> env) {
    return ServeConfig.builder(HANDSHAKE)
        .plugins(1, new Counter(1))
        .environment(env)
        .stdout(new PrintStream(stdout, true, StandardCharsets.UTF_8))
        .stderr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  private String firstLine() {
    String text = stdout.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").containsOnlyOnce("\n");
    return text.strip();
  }

  @Test
  void printsTheHandshakeLineAndServesHealthAndTheApplication() throws Exception {
    try (PluginServer server = PluginServer.start(config(env()).build())) {
      HandshakeLine line = HandshakeLine.parse(firstLine());

      assertThat(firstLine()).matches("1\\|1\\|unix\\|" + temp + "/plugin\\d+\\|grpc\\|");
      assertThat(line.address()).isEqualTo(server.socket().orElseThrow().toString());
      ManagedChannel channel = Transports.channel(line.network(), line.address(), null, group);
      try {
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("plugin")
            .build()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(CounterGrpc.newBlockingStub(channel).count(CountRequest.newBuilder().setText("abc").build())
            .getLength()).isEqualTo(3);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void refusesAWrongOrMissingCookieWithoutWritingToStdout() {
    assertThatThrownBy(() -> PluginServer.start(config(env(HANDSHAKE.magicCookieKey(), "other")).build()))
        .isInstanceOf(PluginServeException.class)
        .hasMessageContaining("This binary is a plugin. These are not meant to be executed directly.");
    assertThatThrownBy(() -> PluginServer.start(config(env(HANDSHAKE.magicCookieKey(), null)).build()))
        .isInstanceOf(PluginServeException.class);
    assertThat(stdout.size()).isZero();
  }

  @Test
  void refusesAnEmptyCookieInItsOwnConfiguration() {
    ServeConfig config = ServeConfig.builder(new HandshakeConfig("", "")).plugins(1, new Counter(1))
        .environment(env()).stdout(new PrintStream(stdout)).build();

    assertThatThrownBy(() -> PluginServer.start(config)).hasMessageContaining("Misconfigured ServeConfig");
  }

  @Test
  void negotiatesTheHighestCommonVersionAndServesItsServices() throws Exception {
    ServeConfig config = config(env(GoPluginEnv.PROTOCOL_VERSIONS, "3,x,2,1"))
        .plugins(2, new Counter(2)).plugins(4, new Counter(4)).build();

    try (PluginServer server = PluginServer.start(config)) {
      HandshakeLine line = HandshakeLine.parse(firstLine());
      assertThat(line.appVersion()).isEqualTo(2);
      ManagedChannel channel = Transports.channel(line.network(), line.address(), null, group);
      try {
        assertThat(CounterGrpc.newBlockingStub(channel).count(CountRequest.newBuilder().setText("ab").build())
            .getLength()).isEqualTo(2 * 1000 + 2);
      } finally {
        channel.shutdownNow();
      }
    }
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("server sent invalid plugin version \\\"x\\\"");
  }

  @Test
  void announcesItsLowestVersionWhenNoneIsCommon() throws Exception {
    ServeConfig config = config(env(GoPluginEnv.PROTOCOL_VERSIONS, "7")).plugins(3, new Counter(3)).build();

    try (PluginServer server = PluginServer.start(config)) {
      assertThat(HandshakeLine.parse(firstLine()).appVersion()).isEqualTo(1);
    }
  }

  @Test
  void addsField7OnlyWhenMultiplexingWasAskedAndSaysFalse() throws Exception {
    try (PluginServer server = PluginServer.start(config(env(GoPluginEnv.MULTIPLEX_GRPC, "true")).build())) {
      assertThat(firstLine()).endsWith("|grpc||false");
    }
  }

  @Test
  void makesAPrivateDirectoryForItsSocketWhenTheHostNamesNone() throws Exception {
    Path socket;
    try (PluginServer server = PluginServer.start(config(env(GoPluginEnv.UNIX_SOCKET_DIR, null)).build())) {
      socket = server.socket().orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
          .isEqualTo("rwx------");
      assertThat(socket.toString().length()).isLessThan(104);
    }
    assertThat(socket).doesNotExist();
    assertThat(socket.getParent()).doesNotExist();
  }

  @Test
  void givesItsSocketToTheAskedGroup() throws Exception {
    String group = Files.readAttributes(temp, java.nio.file.attribute.PosixFileAttributes.class).group().getName();

    try (PluginServer server = PluginServer.start(config(env(GoPluginEnv.UNIX_SOCKET_GROUP, group)).build())) {
      Path socket = server.socket().orElseThrow();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }
  }

  @Test
  void listensOnLoopbackTcpWithinThePortRange() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ServeConfig config = config(env(GoPluginEnv.NETWORK, "tcp", GoPluginEnv.MIN_PORT, Integer.toString(port),
        GoPluginEnv.MAX_PORT, Integer.toString(port))).build();

    try (PluginServer server = PluginServer.start(config)) {
      assertThat(firstLine()).isEqualTo("1|1|tcp|127.0.0.1:" + port + "|grpc|");
    }
  }

  @Test
  void reportsAPortRangeWithNoFreePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      ServeConfig config = config(env(GoPluginEnv.NETWORK, "tcp", GoPluginEnv.MIN_PORT, port,
          GoPluginEnv.MAX_PORT, port)).build();

      assertThatThrownBy(() -> PluginServer.start(config))
          .hasMessageContaining("couldn't bind plugin TCP listener on 127.0.0.1, ports " + port + " to " + port);
    }
    assertThat(stdout.size()).isZero();
  }

  @Test
  void sendsItsCertificateUnpaddedAndRequiresTheHostsUnderAutoMtls() throws Exception {
    AutoMtls host = AutoMtls.generate();
    ServeConfig config = config(env(GoPluginEnv.CLIENT_CERT, host.certificatePem())).build();

    try (PluginServer server = PluginServer.start(config)) {
      String certField = firstLine().split("\\|")[5];
      assertThat(certField).hasSizeGreaterThan(50).doesNotContain("=");
      HandshakeLine line = HandshakeLine.parse(firstLine());
      var pluginCert = AutoMtls.parseCertificate(line.serverCertDer().orElseThrow());

      ManagedChannel trusted = Transports.channel(line.network(), line.address(), host.clientContext(pluginCert),
          group);
      ManagedChannel stranger = Transports.channel(line.network(), line.address(),
          AutoMtls.generate().clientContext(pluginCert), group);
      try {
        assertThat(CounterGrpc.newBlockingStub(trusted).count(CountRequest.newBuilder().setText("a").build())
            .getLength()).isEqualTo(1);
        assertThatThrownBy(() -> CounterGrpc.newBlockingStub(stranger)
            .count(CountRequest.newBuilder().setText("a").build()))
            .isInstanceOf(io.grpc.StatusRuntimeException.class);
      } finally {
        trusted.shutdownNow();
        stranger.shutdownNow();
      }
    }
  }

  @Test
  void refusesABadHostCertificate() {
    assertThatThrownBy(() -> PluginServer.start(config(env(GoPluginEnv.CLIENT_CERT, "not a pem")).build()))
        .hasMessageContaining("PLUGIN_CLIENT_CERT does not hold a usable certificate");
  }

  @Test
  void inDebugModePrintsAReattachConfigurationInsteadOfTheHandshake() throws Exception {
    ServeConfig config = config(Map.of()).debugFromArgs("--debug").build();

    try (PluginServer server = PluginServer.start(config)) {
      ReattachConfig reattach = ReattachConfig.fromJson(firstLine());
      assertThat(reattach.test()).isTrue();
      assertThat(reattach.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(reattach.network()).isEqualTo(Network.UNIX);
      assertThat(reattach.protocolVersion()).isEqualTo(1);
    }
  }

  @Test
  void stopsOnShutdownAndRemovesItsSocket() throws Exception {
    PluginServer server = PluginServer.start(config(env()).build());
    HandshakeLine line = HandshakeLine.parse(firstLine());
    ManagedChannel channel = Transports.channel(line.network(), line.address(), null, group);
    try {
      GRPCControllerGrpc.newBlockingStub(channel).shutdown(Empty.getDefaultInstance());
      server.awaitTermination();
    } finally {
      channel.shutdownNow();
    }
    assertThat(Path.of(line.address())).doesNotExist();
  }

  @Test
  void logsHclogJsonWithSixFractionalDigits() throws Exception {
    try (PluginServer server = PluginServer.start(config(env()).module("counter").build())) {
      server.log().info("hello", "k", 1);
    }
    List<String> lines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .matches("\\{\"@level\":\"info\",\"@message\":\"hello\",\"@timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:"
            + "\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)\",\"@module\":\"counter\",\"k\":\"1\"}"));
  }

  /** Answers the text's length plus 1000 times its version, to tell versions apart. */
  private static final class Counter extends CounterGrpc.CounterImplBase {
    private final int version;

    Counter(int version) {
      this.version = version;
    }

    @Override
    public void count(CountRequest request, StreamObserver<CountResponse> responses) {
      int offset = version == 1 ? 0 : version * 1000;
      responses.onNext(CountResponse.newBuilder().setLength(offset + request.getText().length()).build());
      responses.onCompleted();
    }
  }
}
