package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.DaemonThreads;
import com.google.protobuf.ByteString;
import dev.htmlize.goplugin.AutoMtls;
import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.HandshakeLine;
import dev.htmlize.goplugin.HandshakeLine.MalformedHandshakeException;
import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.ProcessIdentity;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.SocketDirectory;
import dev.htmlize.goplugin.Transports;
import dev.htmlize.goplugin.proto.ConnInfo;
import dev.htmlize.goplugin.proto.Empty;
import dev.htmlize.goplugin.proto.GRPCBrokerGrpc;
import dev.htmlize.goplugin.proto.GRPCControllerGrpc;
import dev.htmlize.goplugin.proto.GRPCStdioGrpc;
import dev.htmlize.goplugin.proto.StdioData;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One running plugin seen from the host: go-plugin's {@code Client}. {@link #start} launches it and completes the
 * handshake; {@link #reattach} connects to one that is already running. {@link #channel()} is the one gRPC channel
 * that every logical plugin's stubs share ("dispensing" is making stubs on it; no call goes on the wire).
 * {@link #close()} ends the plugin; it is idempotent, and a JVM shutdown hook calls it if nobody did.
 *
 * <p>Thread-safe.
 */
public final class PluginClient implements AutoCloseable {
  /** The longest socket name made in the socket directory, by this side ({@code brokerN}) or by the plugin. */
  private static final int SOCKET_NAME_ROOM = 24;
  private static final Duration EXIT_DIAGNOSIS_WAIT = Duration.ofSeconds(1);

  private final ClientConfig config;
  private final PluginProcess process;
  private final ReattachConfig reattached;
  private final EventLoopGroup group;
  private final int protocolVersion;
  private final Network network;
  private final String address;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Thread shutdownHook;
  private final AtomicInteger brokerSockets = new AtomicInteger();
  private SocketDirectory socketDirectory;
  private ExecutorService brokerExecutor;
  private GrpcBroker broker;
  private ManagedChannel managedChannel;
  private Channel channel;
  private ClientCallStreamObserver<?> stdioCall;
  private ClientCallStreamObserver<ConnInfo> brokerCall;

  private PluginClient(ClientConfig config, PluginProcess process, ReattachConfig reattached,
                       SocketDirectory socketDirectory,
                       int protocolVersion, Network network, String address) {
    this.config = config;
    this.process = process;
    this.reattached = reattached;
    this.socketDirectory = socketDirectory;
    this.protocolVersion = protocolVersion;
    this.network = network;
    this.address = address;
    this.group = Transports.newEventLoopGroup("plugin-" + config.name(), 1);
    this.shutdownHook = new Thread(this::close, "plugin-shutdown-" + config.name());
  }

  /**
   * Launches the plugin, reads and checks its handshake line, connects, opens the stdio and broker streams, and
   * pings it.
   *
   * @throws PluginStartException with a message that names the plugin and says what to fix
   */
  public static PluginClient start(ClientConfig config) throws PluginStartException {
    if (config.command().isEmpty()) {
      throw new PluginStartException(config.name(), "no command to run");
    }
    ExecutableChecksum.verify(config);
    SocketDirectory socketDirectory = createSocketDirectory(config);
    AutoMtls tls = config.autoMtls() ? AutoMtls.generate() : null;
    PluginProcess process;
    try {
      process = PluginProcess.launch(config, environment(config, socketDirectory.path(), tls));
    } catch (IOException e) {
      socketDirectory.close();
      throw new PluginStartException(config.name(), "cannot run " + config.command().get(0) + ": "
          + e.getMessage(), e);
    }
    PluginClient client = null;
    try {
      String line = process.awaitFirstLine(config.startTimeout());
      HandshakeLine handshake = validate(config, process, line);
      client = new PluginClient(config, process, null, socketDirectory, handshake.appVersion(),
          handshake.network(), handshake.address());
      Runtime.getRuntime().addShutdownHook(client.shutdownHook);
      client.connect(tls, peerCertificate(config, tls, handshake));
      client.checkAnswers(config.startTimeout());
      return client;
    } catch (PluginStartException | RuntimeException e) {
      if (client != null) {
        client.close();
      } else {
        process.kill();
        process.awaitExit(config.shutdownGrace());
        socketDirectory.close();
      }
      throw e;
    }
  }

  /**
   * Connects to a plugin that is already running, without launching anything: for a plugin started by hand in
   * debug mode, under a debugger. Only the config's name, logger, stdio sink and call timeout are used.
   * {@link #close()} then leaves a {@linkplain ReattachConfig#test() test} plugin running and shuts down any other.
   *
   * @throws PluginStartException if the process is gone or nothing answers at the address
   */
  public static PluginClient reattach(ReattachConfig reattach, ClientConfig config) throws PluginStartException {
    if (!HandshakeLine.GRPC.equals(reattach.protocol())) {
      throw new PluginStartException(config.name(), "cannot reattach to protocol "
          + reattach.protocol() + "; only grpc is supported");
    }
    if (reattach.pid() > 0 && ProcessHandle.of(reattach.pid()).map(ProcessHandle::isAlive).orElse(false) == false) {
      throw new PluginStartException(config.name(), "reattachment process " + reattach.pid()
          + " not found");
    }
    int version = reattach.protocolVersion() == 0
        ? config.protocolVersions().stream().max(Integer::compare).orElseThrow()
        : reattach.protocolVersion();
    if (!config.protocolVersions().contains(version)) {
      throw new PluginStartException(config.name(), "serves app protocol version " + version
          + ", but this host speaks " + config.protocolVersions());
    }
    PluginClient client = new PluginClient(config, null, reattach, null, version, reattach.network(),
        reattach.address());
    try {
      client.connect(null, null);
      client.checkAnswers(Duration.ofSeconds(5));
      return client;
    } catch (PluginStartException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The channel for the application's stubs. Failed calls name this plugin; see {@link ClientConfig}. */
  public Channel channel() {
    return channel;
  }

  /** Makes typed stubs on the shared channel, go-plugin's {@code Dispense}. */
  public <T> T dispense(Function<Channel, T> stubFactory) {
    return stubFactory.apply(channel);
  }

  /** The plugin's name, as configured. */
  public String name() {
    return config.name();
  }

  /** The app protocol version both sides agreed on. */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** The plugin's process id, if known. */
  public Optional<Long> pid() {
    if (process != null) {
      return Optional.of(process.pid());
    }
    return reattached.pid() > 0 ? Optional.of(reattached.pid()) : Optional.empty();
  }

  /** Where the plugin listens, as a reattach configuration (not a test one: closing it ends the plugin). */
  public ReattachConfig reattachConfig() {
    return new ReattachConfig(HandshakeLine.GRPC, protocolVersion, network, address, pid().orElse(0L), false);
  }

  /** Whether the plugin process is still running (for a reattached one: whether its pid is). */
  public boolean isAlive() {
    if (process != null) {
      return process.isAlive();
    }
    return reattached.pid() <= 0 || ProcessHandle.of(reattached.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The exit status of the launched plugin process, once it has exited. */
  public OptionalInt exitStatus() {
    if (process == null || process.isAlive()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(process.exitValue());
  }

  /** Completes when the launched plugin process has exited; never, for a reattached one. */
  public CompletableFuture<Void> onExit() {
    return process == null ? new CompletableFuture<>() : process.onExit().thenApply(p -> null);
  }

  /**
   * go-plugin's {@code Ping}: a health check of the service {@code "plugin"}. Success is any answer without an RPC
   * error, whatever status it reports.
   *
   * @throws StatusRuntimeException naming the plugin if it does not answer within the timeout
   */
  public void ping(Duration timeout) {
    HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .check(HealthCheckRequest.newBuilder().setService(GoPluginEnv.HEALTH_SERVICE).build());
  }

  /**
   * Ends the plugin: closes the broker stream, calls {@code plugin.GRPCController/Shutdown}, closes the connection,
   * waits up to the shutdown grace (2 s) for the process to exit, then kills it. Removes the private socket
   * directory. Idempotent; a second caller waits for the first to finish.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        closed.get(config.shutdownGrace().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The first closer is responsible for the outcome.
      }
      return;
    }
    try {
      shutDownPlugin();
    } finally {
      Transports.shutdown(group);
      removeSockets();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // The JVM is shutting down (possibly running this very hook), or the hook was never added.
      }
      closed.complete(null);
    }
  }

  private void shutDownPlugin() {
    boolean endPlugin = process != null || !reattached.test();
    if (broker != null) {
      broker.close();
    }
    if (brokerExecutor != null) {
      brokerExecutor.shutdownNow();
    }
    if (brokerCall != null) {
      brokerCall.cancel("host closing", null);
    }
    if (managedChannel != null) {
      if (endPlugin && (process == null || process.isAlive())) {
        try {
          GRPCControllerGrpc.newBlockingStub(managedChannel)
              .withDeadlineAfter(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)
              .shutdown(Empty.getDefaultInstance());
        } catch (StatusRuntimeException e) {
          // go-plugin ignores the result too: the plugin often closes the connection before it answers.
        }
      }
      if (stdioCall != null) {
        stdioCall.cancel("host closing", null);
      }
      managedChannel.shutdownNow();
    }
    if (process != null) {
      if (!process.awaitExit(config.shutdownGrace())) {
        log(LogLevel.WARN, "plugin failed to exit gracefully within " + config.shutdownGrace().toMillis()
            + " ms; killing it");
        process.kill();
        process.awaitExit(config.shutdownGrace());
      }
      process.awaitReaders(config.shutdownGrace());
    } else if (endPlugin && reattached.pid() > 0) {
      ProcessHandle.of(reattached.pid()).ifPresent(handle -> {
        try {
          handle.onExit().get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          handle.destroyForcibly();
        }
      });
    }
    if (managedChannel != null) {
      try {
        managedChannel.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void connect(AutoMtls tls, X509Certificate peer) throws PluginStartException {
    SslContext clientTls = null;
    SslContext serverTls = null;
    try {
      if (tls != null) {
        clientTls = tls.clientContext(peer);
        serverTls = tls.serverContext(peer);
      }
    } catch (IOException e) {
      throw new PluginStartException(config.name(), "sent a certificate that cannot be used: "
          + e.getMessage(), e);
    }
    brokerExecutor = Executors.newCachedThreadPool(DaemonThreads.factory("plugin-" + config.name() + "-broker-"));
    broker = new GrpcBroker("plugin " + config.name(), this::nextBrokerAddress, serverTls, clientTls, group,
        brokerExecutor, message -> log(LogLevel.DEBUG, message));
    try {
      managedChannel = Transports.channel(network, address, clientTls, group);
    } catch (IOException e) {
      throw new PluginStartException(config.name(), "cannot use its address " + network.wireName()
          + ":" + address + ": " + e.getMessage(), e);
    }
    channel = ClientInterceptors.intercept(managedChannel,
        new FailureDescribingInterceptor(config.callTimeout(), this::describeFailure));
    openStdio();
    openBroker();
  }

  private void checkAnswers(Duration timeout) throws PluginStartException {
    try {
      ping(timeout);
    } catch (StatusRuntimeException e) {
      throw new PluginStartException(config.name(), "does not answer at " + network.wireName() + ":"
          + address + ": " + e.getStatus().getDescription(), e);
    }
  }

  private void openStdio() {
    GRPCStdioGrpc.newStub(managedChannel).streamStdio(com.google.protobuf.Empty.getDefaultInstance(),
        new ClientResponseObserver<com.google.protobuf.Empty, StdioData>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<com.google.protobuf.Empty> call) {
            stdioCall = call;
          }

          @Override
          public void onNext(StdioData data) {
            ByteString bytes = data.getData();
            switch (data.getChannel()) {
              case STDOUT -> config.stdio().stdout(bytes.toByteArray());
              case STDERR -> config.stdio().stderr(bytes.toByteArray());
              default -> log(LogLevel.WARN, "unknown stdio channel " + data.getChannelValue() + " dropped");
            }
          }

          @Override
          public void onError(Throwable t) {
            streamEnded("GRPCStdio", t);
          }

          @Override
          public void onCompleted() {
          }
        });
  }

  private void openBroker() {
    StreamObserver<ConnInfo> requests = GRPCBrokerGrpc.newStub(managedChannel).startStream(
        new ClientResponseObserver<ConnInfo, ConnInfo>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<ConnInfo> call) {
        brokerCall = call;
      }

      @Override
      public void onNext(ConnInfo info) {
        broker.receive(info);
      }

      @Override
      public void onError(Throwable t) {
        streamEnded("GRPCBroker", t);
      }

      @Override
      public void onCompleted() {
      }
    });
    broker.connect(requests);
  }

  /**
   * The plugin's broker, go-plugin's {@code GRPCBroker}: offer the plugin a service with
   * {@code acceptAndServe(nextId(), service)} and pass it the id, or {@code dial} an id the plugin announced.
   * Brokered services listen on unix sockets in this client's private directory (TCP on loopback where unix
   * sockets are not available), with the main connection's TLS.
   */
  public GrpcBroker broker() {
    return broker;
  }

  private SocketAddress nextBrokerAddress() throws IOException {
    if (!Transports.unixSocketsAvailable()) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
    synchronized (brokerSockets) {
      if (socketDirectory == null) {
        try {
          socketDirectory = createSocketDirectory(config);
        } catch (PluginStartException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    }
    return new DomainSocketAddress(socketDirectory.path().resolve("broker" + brokerSockets.incrementAndGet())
        .toString());
  }

  private void streamEnded(String service, Throwable t) {
    if (closing.get()) {
      return;
    }
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.UNIMPLEMENTED) {
      log(LogLevel.DEBUG, "plugin does not implement plugin." + service + " (go-plugin before 1.1.0 has no stdio)");
    } else {
      log(LogLevel.DEBUG, "plugin." + service + " stream ended: " + status);
    }
  }

  /** What a failed application call says: the plugin, the cause, and how the plugin died. */
  private PluginCallFailure describeFailure(Status status) {
    StringBuilder out = new StringBuilder().append(status.getCode());
    if (status.getDescription() != null) {
      out.append(": ").append(status.getDescription());
    }
    // A failure on this side (an answer that cannot be read, such as a string that is not UTF-8) says why only in
    // its causes: "CANCELLED: Failed to read message." alone does not tell the plugin's author what to fix.
    int depth = 0;
    for (Throwable cause = status.getCause(); cause != null && depth < 4; cause = cause.getCause(), depth++) {
      String why = cause instanceof StatusRuntimeException s ? s.getStatus().getDescription() : cause.getMessage();
      if (why != null && !why.isBlank() && out.indexOf(why) < 0) {
        out.append(": ").append(why);
      }
    }
    if (process != null && status.getCode() == Status.Code.UNAVAILABLE && !closing.get()) {
      if (process.awaitExit(EXIT_DIAGNOSIS_WAIT)) {
        process.awaitReaders(EXIT_DIAGNOSIS_WAIT);
        out.append("; the plugin ").append(process.describeExit()).append('.').append(process.stderrTailText());
      }
    }
    Optional<Long> pid = pid();
    return new PluginCallFailure(config.name(), pid.isPresent() ? OptionalLong.of(pid.get()) : OptionalLong.empty(),
        status.getCode(), out.toString(), status.getCause());
  }

  private void log(LogLevel level, String message) {
    try {
      config.logger().log(new LogEntry(level, message, Map.of("source", "host"), false));
    } catch (RuntimeException e) {
      // Logging must not break the plugin's lifecycle.
    }
  }

  private static HandshakeLine validate(ClientConfig config, PluginProcess process, String line)
      throws PluginStartException {
    HandshakeLine handshake;
    try {
      handshake = HandshakeLine.parse(line);
    } catch (MalformedHandshakeException e) {
      throw new PluginStartException(config.name(), "printed an unexpected first line on stdout: "
          + HandshakeLine.quote(line.strip()) + " (" + e.getMessage() + "). A plugin must print go-plugin's "
          + "handshake line before anything else on stdout; a logger or a JVM warning writing to stdout is the usual "
          + "cause." + process.stderrTailText());
    }
    if (!config.protocolVersions().contains(handshake.appVersion())) {
      throw new PluginStartException(config.name(), "chose app protocol version "
          + handshake.appVersion() + ", but this host speaks " + sorted(config) + ": upgrade or downgrade one of them");
    }
    if (!HandshakeLine.GRPC.equals(handshake.protocol())) {
      throw new PluginStartException(config.name(), "speaks protocol "
          + HandshakeLine.quote(handshake.protocol()) + "; only grpc plugins are supported");
    }
    if (config.autoMtls() && handshake.serverCertDer().isEmpty()) {
      throw new PluginStartException(config.name(), PluginStartException.Kind.AUTO_MTLS_MISMATCH,
          "sent no certificate in its handshake though AutoMTLS was asked; it may not support AutoMTLS: turn "
          + "AutoMTLS off for it", null);
    }
    if (!config.autoMtls() && handshake.serverCertDer().isPresent()) {
      throw new PluginStartException(config.name(), PluginStartException.Kind.AUTO_MTLS_MISMATCH,
          "sent a TLS certificate though AutoMTLS was not asked; turn AutoMTLS on for it", null);
    }
    if (handshake.network() == Network.TCP && !config.autoMtls() && !config.allowPlaintextTcp()) {
      throw new PluginStartException(config.name(), PluginStartException.Kind.PLAINTEXT_TCP,
          "listens on plaintext TCP (" + handshake.address() + "), where any local user could connect to it. "
          + "Turn AutoMTLS on if the plugin supports it, or allow plaintext TCP explicitly", null);
    }
    if (handshake.network() == Network.UNIX && !Transports.unixSocketsAvailable()) {
      throw new PluginStartException(config.name(), "listens on a unix socket, which this platform's "
          + "transport cannot reach");
    }
    return handshake;
  }

  private static String sorted(ClientConfig config) {
    return config.protocolVersions().stream().sorted().map(String::valueOf)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static X509Certificate peerCertificate(ClientConfig config, AutoMtls tls, HandshakeLine handshake)
      throws PluginStartException {
    if (tls == null) {
      return null;
    }
    try {
      return AutoMtls.parseCertificate(handshake.serverCertDer().orElseThrow());
    } catch (CertificateException e) {
      throw new PluginStartException(config.name(), "sent a certificate that cannot be used: "
          + e.getMessage(), e);
    }
  }

  private static Map<String, String> environment(ClientConfig config, Path socketDirectory, AutoMtls tls) {
    Map<String, String> env = new HashMap<>(config.environment());
    env.remove(GoPluginEnv.MULTIPLEX_GRPC);
    env.remove(GoPluginEnv.CLIENT_CERT);
    env.remove(GoPluginEnv.NETWORK);
    env.put(config.handshake().magicCookieKey(), config.handshake().magicCookieValue());
    env.put(GoPluginEnv.MIN_PORT, Integer.toString(config.minPort()));
    env.put(GoPluginEnv.MAX_PORT, Integer.toString(config.maxPort()));
    env.put(GoPluginEnv.PROTOCOL_VERSIONS,
        config.protocolVersions().stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
    env.put(GoPluginEnv.UNIX_SOCKET_DIR, socketDirectory.toString());
    env.putAll(ProcessIdentity.hostEnvironment());
    config.network().ifPresent(network -> env.put(GoPluginEnv.NETWORK, network.wireName()));
    if (tls != null) {
      env.put(GoPluginEnv.CLIENT_CERT, tls.certificatePem());
    }
    return env;
  }

  private static SocketDirectory createSocketDirectory(ClientConfig config) throws PluginStartException {
    try {
      return SocketDirectory.create(config.socketParent(), SOCKET_NAME_ROOM);
    } catch (IOException e) {
      throw new PluginStartException(config.name(), "cannot create a socket directory under " + config.socketParent()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the private socket directory and, once the plugin has exited, a socket it left elsewhere (go-plugin
   * before 1.5 ignores {@link GoPluginEnv#UNIX_SOCKET_DIR} and leaves its socket in the temp dir when killed).
   */
  private void removeSockets() {
    synchronized (brokerSockets) {
      if (socketDirectory != null) {
        socketDirectory.close();
      }
    }
    if (process != null && !process.isAlive() && network == Network.UNIX) {
      Path socket = Path.of(address);
      if (SocketDirectory.isSocket(socket)) {
        try {
          Files.deleteIfExists(socket);
        } catch (IOException e) {
          log(LogLevel.DEBUG, "cannot remove the plugin's socket " + socket + ": " + e.getMessage());
        }
      }
    }
  }
}
