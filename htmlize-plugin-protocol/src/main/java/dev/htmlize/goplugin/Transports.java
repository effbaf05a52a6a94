package dev.htmlize.goplugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * The two transports of go-plugin: unix domain sockets (netty's epoll transport, as bundled in grpc-netty-shaded) and
 * TCP. Channels and servers get no keepalive (a grpc-go server answers frequent pings with GOAWAY) and no message size
 * limit beyond what fits in an int, as go-plugin's host does.
 */
public final class Transports {
  private Transports() {
  }

  /** Whether unix domain sockets can be used here (Linux with netty's epoll transport). */
  public static boolean unixSocketsAvailable() {
    return Epoll.isAvailable();
  }

  /** A small event loop group of daemon threads, so that a forgotten group never keeps a JVM alive. */
  public static EventLoopGroup newEventLoopGroup(String name, int threads) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return Epoll.isAvailable() ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
  }

  /** Stops an event loop group at once. */
  public static void shutdown(EventLoopGroup group) {
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
  }

  /**
   * A channel to a plugin.
   *
   * @param tls {@code null} for plaintext
   */
  public static ManagedChannel channel(Network network, String address, SslContext tls, EventLoopGroup group)
      throws UnknownHostException {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(socketAddress(network, address))
        .eventLoopGroup(group)
        .channelType(clientChannelType(network))
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .directExecutor();
    if (network == Network.UNIX) {
      // gRPC sets SO_KEEPALIVE, which domain sockets do not know; netty would warn on every connection.
      builder.withOption(ChannelOption.SO_KEEPALIVE, null);
    }
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(tls).overrideAuthority(AutoMtls.authority());
    }
    return builder.build();
  }

  /** A server builder bound to an address, with transport settings filled in. */
  public static NettyServerBuilder serverBuilder(SocketAddress address, EventLoopGroup group) {
    boolean unix = address instanceof DomainSocketAddress;
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .bossEventLoopGroup(group)
        .workerEventLoopGroup(group)
        .channelType(serverChannelType(unix))
        .maxInboundMessageSize(Integer.MAX_VALUE);
    if (unix) {
      builder.withChildOption(ChannelOption.SO_KEEPALIVE, null);
    }
    return builder;
  }

  /**
   * The socket address of a handshake or reattach address. TCP addresses must be on the loopback interface: a plugin
   * elsewhere is not something a build tool should talk to unannounced.
   */
  public static SocketAddress socketAddress(Network network, String address) throws UnknownHostException {
    if (network == Network.UNIX) {
      return new DomainSocketAddress(address);
    }
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new UnknownHostException("TCP address without a port: " + address);
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UnknownHostException("TCP address with a bad port: " + address);
    }
    InetAddress inet = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
    if (!inet.isLoopbackAddress()) {
      throw new UnknownHostException("TCP address " + address + " is not on the loopback interface");
    }
    return new InetSocketAddress(inet, port);
  }

  private static Class<? extends Channel> clientChannelType(Network network) {
    if (network == Network.UNIX) {
      return EpollDomainSocketChannel.class;
    }
    return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  private static Class<? extends ServerChannel> serverChannelType(boolean unix) {
    if (unix) {
      return EpollServerDomainSocketChannel.class;
    }
    return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
