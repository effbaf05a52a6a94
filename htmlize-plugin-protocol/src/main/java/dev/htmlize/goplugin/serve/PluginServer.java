package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.AutoMtls;
import dev.htmlize.goplugin.DaemonThreads;
import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.HandshakeLine;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.SocketDirectory;
import dev.htmlize.goplugin.Transports;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * A plugin's gRPC server, listening and announced: what {@link Serve#serve} runs. {@link #start} checks the cookie,
 * negotiates the version, listens (a unix socket, or TCP on loopback within the port range), registers health
 * ({@code "plugin"} = SERVING), {@code plugin.GRPCController}, {@code plugin.GRPCStdio}, {@code plugin.GRPCBroker}
 * and the application's services, and prints the handshake line (in debug mode: the reattach JSON).
 *
 * <p>Unlike {@link Serve}, it changes nothing process-wide, so it can also run inside a test.
 */
public final class PluginServer implements AutoCloseable {
  /** The longest socket name made in a socket directory: {@code plugin} and an unsigned int. */
  private static final int SOCKET_NAME_ROOM = 16;

  private final ServeConfig config;
  private final HclogWriter log;
  private final StdioCapture stdio;
  private final EventLoopGroup group;
  private final ExecutorService executor;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private Server server;
  private int protocolVersion;
  private Network network;
  private String address;
  private Path socket;
  private SocketDirectory privateDirectory;
  private byte[] certificateDer;
  private GrpcBroker broker;

  private PluginServer(ServeConfig config) {
    this.config = config;
    this.log = new HclogWriter(config.stderr(), config.module(), config.logLevel());
    this.stdio = new StdioCapture(config.stdout(), config.stderr());
    this.group = Transports.newEventLoopGroup("plugin-server", 1);
    this.executor = Executors.newCachedThreadPool(DaemonThreads.factory("plugin-call-"));
  }

  /**
   * Starts serving and prints the handshake line (or, in debug mode, the reattach configuration) on the configured
   * stdout.
   *
   * @throws PluginServeException with a message for a person: wrong or missing cookie, unusable environment, no
   *                              listener
   */
  public static PluginServer start(ServeConfig config) throws PluginServeException {
    if (!config.debug()) {
      checkCookie(config);
    }
    PluginServer plugin = new PluginServer(config);
    try {
      plugin.listen();
    } catch (PluginServeException | RuntimeException e) {
      plugin.close();
      throw e;
    }
    plugin.announce();
    return plugin;
  }

  /** This plugin's broker (see {@link GrpcBroker}); brokered services listen like the main one. */
  public GrpcBroker broker() {
    return broker;
  }

  private SocketAddress nextBrokerAddress() throws IOException {
    if (network == Network.UNIX) {
      try {
        return new DomainSocketAddress(socketPath().toString());
      } catch (PluginServeException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** The log writer that goes to the original stderr as hclog JSON. */
  public HclogWriter log() {
    return log;
  }

  /** The app protocol version this server speaks, as negotiated. */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** Where it listens, with this process's pid; {@code test} as in debug mode. */
  public ReattachConfig reattachConfig() {
    return new ReattachConfig(HandshakeLine.GRPC, protocolVersion, network, address, ProcessHandle.current().pid(),
        config.debug());
  }

  /** The socket file, for a unix listener. */
  public Optional<Path> socket() {
    return Optional.ofNullable(socket);
  }

  StdioCapture stdio() {
    return stdio;
  }

  /** Blocks until the server has stopped (after {@code Shutdown} or {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
  }

  /** Stops serving at once, closes every connection and removes the socket. Idempotent. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      if (broker != null) {
        broker.close();
      }
      if (server != null) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // The event loops first: while they run, a closing stream may still hand its context's cancellation to the
      // executor, which must accept it.
      Transports.shutdown(group);
      group.terminationFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
      executor.shutdownNow();
      deleteQuietly(socket);
      synchronized (this) {
        if (privateDirectory != null) {
          privateDirectory.close();
        }
      }
      stdio.flush(500);
      terminated.countDown();
    }
  }

  private static void checkCookie(ServeConfig config) throws PluginServeException {
    String key = config.handshake().magicCookieKey();
    String value = config.handshake().magicCookieValue();
    if (key.isEmpty() || value.isEmpty()) {
      throw new PluginServeException("Misconfigured ServeConfig given to serve this plugin: no magic cookie key or "
          + "value was set. Please notify the plugin author and report this as a bug.");
    }
    if (!value.equals(config.environment().get(key))) {
      throw new PluginServeException("""
          This binary is a plugin. These are not meant to be executed directly.
          Please execute the program that consumes these plugins, which will
          load any plugins automatically""");
    }
  }

  private void listen() throws PluginServeException {
    protocolVersion = negotiateVersion();
    SslContext[] tls = tls();
    network = chooseNetwork();
    broker = new GrpcBroker("the host", this::nextBrokerAddress, tls[0], tls[1], group, executor, log::debug);
    List<BindableService> services = config.plugins().get(protocolVersion).apply(broker);
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(GoPluginEnv.HEALTH_SERVICE, ServingStatus.SERVING);
    List<BindableService> all = new ArrayList<>(services);
    all.add(health.getHealthService());
    all.add(new ControllerService(this::close));
    all.add(stdio);
    all.add(new BrokerService(broker, log));
    if (network == Network.UNIX) {
      socket = socketPath();
      try {
        server = startServer(new DomainSocketAddress(socket.toString()), all, tls[0]);
      } catch (IOException e) {
        throw new PluginServeException("cannot listen on the unix socket " + socket + ": " + e.getMessage(), e);
      }
      address = socket.toString();
      applySocketGroup();
    } else {
      startTcp(all, tls[0]);
    }
    log.debug("plugin address", "network", network.wireName(), "address", address);
  }

  private int negotiateVersion() {
    List<Integer> ours = new ArrayList<>(config.plugins().keySet());
    ours.sort(null);
    if (config.debug()) {
      return ours.get(ours.size() - 1);
    }
    List<Integer> theirs = new ArrayList<>();
    for (String entry : config.env(GoPluginEnv.PROTOCOL_VERSIONS).orElse("").split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      try {
        theirs.add(Integer.parseInt(entry.strip()));
      } catch (NumberFormatException e) {
        log.warn("server sent invalid plugin version \"" + entry + "\"");
      }
    }
    for (int i = ours.size() - 1; i >= 0; i--) {
      if (theirs.contains(ours.get(i))) {
        return ours.get(i);
      }
    }
    // No common version: announce our lowest, and let the host report the mismatch with both sides' versions.
    return ours.get(0);
  }

  /** The server and client TLS contexts (both {@code null} without AutoMTLS). */
  private SslContext[] tls() throws PluginServeException {
    String pem = config.env(GoPluginEnv.CLIENT_CERT).orElse("");
    if (pem.isEmpty()) {
      return new SslContext[2];
    }
    try {
      X509Certificate host = AutoMtls.parseCertificate(pem.getBytes(StandardCharsets.US_ASCII));
      AutoMtls mine = AutoMtls.generate();
      certificateDer = mine.certificateDer();
      return new SslContext[] {mine.serverContext(host), mine.clientContext(host)};
    } catch (CertificateException | SSLException e) {
      throw new PluginServeException(GoPluginEnv.CLIENT_CERT + " does not hold a usable certificate: "
          + e.getMessage(), e);
    }
  }

  private Network chooseNetwork() throws PluginServeException {
    Optional<String> asked = config.env(GoPluginEnv.NETWORK).filter(s -> !s.isBlank());
    if (asked.isPresent()) {
      Network network = Network.fromWireName(asked.get().strip());
      if (network == null) {
        throw new PluginServeException(GoPluginEnv.NETWORK + " must be unix or tcp, not " + asked.get());
      }
      if (network == Network.UNIX && !Transports.unixSocketsAvailable()) {
        throw new PluginServeException("unix sockets are not available on this platform");
      }
      return network;
    }
    return Transports.unixSocketsAvailable() ? Network.UNIX : Network.TCP;
  }

  private Path socketPath() throws PluginServeException {
    Optional<String> dir = config.env(GoPluginEnv.UNIX_SOCKET_DIR).filter(s -> !s.isBlank());
    Path directory;
    if (dir.isPresent()) {
      directory = Path.of(dir.get());
      if (!Files.isDirectory(directory)) {
        throw new PluginServeException(GoPluginEnv.UNIX_SOCKET_DIR + " names no directory: " + directory);
      }
    } else {
      directory = privateDirectory();
    }
    Path path = directory.resolve("plugin" + Integer.toUnsignedString(new SecureRandom().nextInt()));
    if (path.toString().getBytes(StandardCharsets.UTF_8).length >= SocketDirectory.SOCKET_PATH_LIMIT) {
      throw new PluginServeException("the socket path " + path + " is too long for a unix socket ("
          + SocketDirectory.SOCKET_PATH_LIMIT + " bytes at most); use a shorter " + GoPluginEnv.UNIX_SOCKET_DIR
          + " or TMPDIR");
    }
    return path;
  }

  /** This plugin's own socket directory, made on first use, for a host that names none. */
  private synchronized Path privateDirectory() throws PluginServeException {
    if (privateDirectory == null) {
      Path parent = Path.of(System.getProperty("java.io.tmpdir"));
      try {
        privateDirectory = SocketDirectory.create(parent, SOCKET_NAME_ROOM);
      } catch (IOException e) {
        throw new PluginServeException("cannot create a directory for the plugin's socket under " + parent + ": "
            + e.getMessage(), e);
      }
    }
    return privateDirectory.path();
  }

  private void applySocketGroup() throws PluginServeException {
    Optional<String> group = config.env(GoPluginEnv.UNIX_SOCKET_GROUP).filter(s -> !s.isBlank());
    if (group.isEmpty()) {
      return;
    }
    try {
      GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(group.get().strip());
      Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    } catch (IOException e) {
      throw new PluginServeException("cannot give the socket to group " + group.get() + ": " + e.getMessage(), e);
    }
  }

  private void startTcp(List<BindableService> services, SslContext tls) throws PluginServeException {
    int min = port(GoPluginEnv.MIN_PORT);
    int max = port(GoPluginEnv.MAX_PORT);
    if (min > max) {
      throw new PluginServeException(GoPluginEnv.MIN_PORT + " (" + min + ") is above " + GoPluginEnv.MAX_PORT
          + " (" + max + ")");
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    IOException last = null;
    for (int port = min; port <= max; port++) {
      try {
        server = startServer(new InetSocketAddress(loopback, port), services, tls);
        InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
        address = loopback.getHostAddress() + ":" + bound.getPort();
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw new PluginServeException("couldn't bind plugin TCP listener on " + loopback.getHostAddress() + ", ports "
        + min + " to " + max + (last == null ? "" : ": " + last.getMessage()), last);
  }

  private int port(String variable) throws PluginServeException {
    String value = config.env(variable).orElse("").strip();
    if (value.isEmpty()) {
      return 0;
    }
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new PluginServeException(variable + " is not a port number: " + value);
    }
  }

  private Server startServer(SocketAddress address, List<BindableService> services, SslContext tls)
      throws IOException {
    NettyServerBuilder builder = Transports.serverBuilder(address, group).executor(executor);
    if (tls != null) {
      builder.sslContext(tls);
    }
    services.forEach(builder::addService);
    config.interceptors().forEach(builder::intercept);
    return builder.build().start();
  }

  private void announce() {
    String line;
    if (config.debug()) {
      line = reattachConfig().toJson();
    } else {
      Optional<String> mux = config.env(GoPluginEnv.MULTIPLEX_GRPC).filter(s -> !s.isEmpty()).map(s -> "false");
      line = new HandshakeLine(GoPluginEnv.CORE_PROTOCOL_VERSION, protocolVersion, network, address,
          HandshakeLine.GRPC, Optional.ofNullable(certificateDer), mux).format();
    }
    config.stdout().println(line);
    config.stdout().flush();
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // A socket file in a temp directory is harmless.
    }
  }
}
