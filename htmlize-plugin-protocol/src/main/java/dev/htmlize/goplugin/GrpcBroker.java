package dev.htmlize.goplugin;

import dev.htmlize.goplugin.proto.ConnInfo;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * go-plugin's {@code GRPCBroker} in its non-multiplexed form, which every go-plugin version speaks: a side that
 * offers a service picks an id ({@link #nextId}), listens on a new socket, serves a new gRPC server there and
 * announces {@code ConnInfo{service_id, network, address}} on the {@code plugin.GRPCBroker/StartStream} stream; the
 * other side {@linkplain #dial dials} that id, waiting up to 5 s for its announcement. Each id is its own socket,
 * connection and server, with the same TLS as the main connection when AutoMTLS is on.
 *
 * <p>The host and the plugin each have one broker; ids are per direction (a host's id 1 and a plugin's id 1 are
 * different services). An announcement nobody dials is forgotten after 5 s, as in go-plugin.
 */
public final class GrpcBroker implements AutoCloseable {
  /** How long {@link #dial} waits for the announcement, and how long an undialled announcement is kept. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Where the brokered listeners of one side go. */
  @FunctionalInterface
  public interface Listeners {
    /**
     * A fresh address to listen on: a unix socket path nobody uses yet, or a loopback TCP address (port 0 for any).
     */
    SocketAddress next() throws IOException;
  }

  /** A brokered call could not be set up; the message says which id and why. */
  public static final class BrokerException extends Exception {
    public BrokerException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String peer;
  private final Listeners listeners;
  private final SslContext serverTls;
  private final SslContext clientTls;
  private final EventLoopGroup group;
  private final Executor executor;
  private final Consumer<String> debug;
  private final AtomicInteger lastId = new AtomicInteger();
  private final Map<Integer, CompletableFuture<ConnInfo>> announced = new ConcurrentHashMap<>();
  private final List<Server> servers = new CopyOnWriteArrayList<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final List<Path> sockets = new CopyOnWriteArrayList<>();
  private final List<ConnInfo> unsent = new ArrayList<>();
  private StreamObserver<ConnInfo> outbound;
  private volatile boolean closed;

  /**
   * @param peer      the other side, for messages ("the host", "plugin tt")
   * @param listeners where this side's brokered services listen
   * @param serverTls TLS for the services this side serves, {@code null} for none
   * @param clientTls TLS for dialling the other side's services, {@code null} for none
   * @param group     the event loop group for servers and channels (owned by the caller)
   * @param executor  runs the calls of the served services
   * @param debug     receives debug messages
   */
  public GrpcBroker(String peer, Listeners listeners, SslContext serverTls, SslContext clientTls,
                    EventLoopGroup group, Executor executor, Consumer<String> debug) {
    this.peer = peer;
    this.listeners = listeners;
    this.serverTls = serverTls;
    this.clientTls = clientTls;
    this.group = group;
    this.executor = executor;
    this.debug = debug;
  }

  /** A new id for a service this side offers; ids start at 1. */
  public int nextId() {
    return lastId.incrementAndGet();
  }

  /**
   * Listens on a new socket, serves the services there and announces the address under {@code id}. The server
   * stops when this broker closes, or earlier through the returned handle.
   */
  public Server acceptAndServe(int id, BindableService... services) throws IOException {
    if (closed) {
      throw new IOException("the broker is closed");
    }
    SocketAddress address = listeners.next();
    NettyServerBuilder builder = Transports.serverBuilder(address, group).executor(executor);
    if (serverTls != null) {
      builder.sslContext(serverTls);
    }
    for (BindableService service : services) {
      builder.addService(service);
    }
    Server server = builder.build().start();
    servers.add(server);
    ConnInfo.Builder info = ConnInfo.newBuilder().setServiceId(id);
    if (address instanceof DomainSocketAddress unix) {
      sockets.add(Path.of(unix.path()));
      info.setNetwork(Network.UNIX.wireName()).setAddress(unix.path());
    } else {
      InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
      info.setNetwork(Network.TCP.wireName())
          .setAddress(bound.getAddress().getHostAddress() + ":" + bound.getPort());
    }
    send(info.build());
    debug.accept("broker: serving id " + id + " at " + info.getNetwork() + ":" + info.getAddress());
    return server;
  }

  /**
   * Connects to the service the other side announced under {@code id}, waiting up to {@link #TIMEOUT} for the
   * announcement. The channel closes with this broker.
   */
  public ManagedChannel dial(int id) throws BrokerException {
    CompletableFuture<ConnInfo> slot = announced.computeIfAbsent(id, key -> new CompletableFuture<>());
    ConnInfo info;
    try {
      info = slot.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BrokerException("timeout waiting for connection info for broker id " + id + " from " + peer
          + " (waited " + TIMEOUT.toSeconds() + " s)", e);
    } catch (ExecutionException e) {
      throw new BrokerException("cannot dial broker id " + id + " of " + peer + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted waiting for broker id " + id + " of " + peer, e);
    } finally {
      announced.remove(id, slot);
    }
    Network network = Network.fromWireName(info.getNetwork());
    if (network == null) {
      throw new BrokerException(peer + " announced broker id " + id + " on an unknown network \""
          + info.getNetwork() + "\"", null);
    }
    try {
      ManagedChannel channel = Transports.channel(network, info.getAddress(), clientTls, group);
      channels.add(channel);
      if (closed) {
        channel.shutdownNow();
        throw new BrokerException("the broker is closed", null);
      }
      return channel;
    } catch (IOException e) {
      throw new BrokerException(peer + " announced broker id " + id + " at an unusable address "
          + info.getNetwork() + ":" + info.getAddress() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The broker stream is open: announcements go out on it (those made before it opened first). A new stream
   * replaces an earlier one (a plugin in debug mode serves one host after another), and what the earlier peer
   * announced is forgotten.
   */
  public void connect(StreamObserver<ConnInfo> stream) {
    synchronized (unsent) {
      if (outbound != null) {
        announced.values().removeIf(CompletableFuture::isDone);
      }
      outbound = stream;
      for (ConnInfo info : unsent) {
        stream.onNext(info);
      }
      unsent.clear();
    }
  }

  /** An announcement from the other side arrived on the broker stream. */
  public void receive(ConnInfo info) {
    if (info.hasKnock()) {
      debug.accept("broker: ignoring a multiplexing knock for id " + info.getServiceId()
          + " (this side never asks for multiplexing)");
      return;
    }
    int id = info.getServiceId();
    CompletableFuture<ConnInfo> slot = announced.compute(id,
        (key, waiting) -> waiting == null || waiting.isDone() ? new CompletableFuture<>() : waiting);
    slot.complete(info);
    CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> announced.remove(id, slot));
  }

  /** The broker stream ended; announcements wait for the next one. */
  public void disconnect(StreamObserver<ConnInfo> stream) {
    synchronized (unsent) {
      if (outbound == stream) {
        outbound = null;
      }
    }
  }

  private void send(ConnInfo info) {
    synchronized (unsent) {
      if (outbound == null) {
        unsent.add(info);
        return;
      }
      try {
        outbound.onNext(info);
      } catch (RuntimeException e) {
        debug.accept("broker: cannot announce id " + info.getServiceId() + ", the broker stream is closed: " + e);
      }
    }
  }

  /** Stops every brokered server and channel of this side, and removes their sockets. Idempotent. */
  @Override
  public void close() {
    closed = true;
    BrokerException gone = new BrokerException("the broker closed", null);
    announced.values().forEach(slot -> slot.completeExceptionally(gone));
    announced.clear();
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    for (Server server : servers) {
      try {
        server.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Path socket : sockets) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        // A socket file in a private directory is harmless.
      }
    }
  }
}
