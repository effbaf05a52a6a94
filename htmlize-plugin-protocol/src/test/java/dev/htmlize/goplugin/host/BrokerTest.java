package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.Network;
import dev.htmlize.goplugin.test.proto.CountRequest;
import dev.htmlize.goplugin.test.proto.CountResponse;
import dev.htmlize.goplugin.test.proto.CounterGrpc;
import dev.htmlize.goplugin.test.proto.EchoGrpc;
import dev.htmlize.goplugin.test.proto.EchoRequest;
import dev.htmlize.goplugin.test.proto.EchoResponse;
import dev.htmlize.goplugin.testing.Plugins;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * go-plugin's broker in both directions between a real host and a real plugin process: the host offers a service
 * that the plugin dials, and the plugin offers one that the host dials, plain and with AutoMTLS, over unix sockets
 * and TCP.
 */
class BrokerTest {
  private static final String CP = Plugins.testClassPath();

  @TempDir
  Path temp;

  /** The host's Counter: adds 1000, so that an answer from the plugin's own Counter cannot pass for it. */
  private static final class HostCounter extends CounterGrpc.CounterImplBase {
    @Override
    public void count(CountRequest request, StreamObserver<CountResponse> responses) {
      responses.onNext(CountResponse.newBuilder().setLength(1000 + request.getText().length()).build());
      responses.onCompleted();
    }
  }

  private PluginClient start(String network, boolean autoMtls) throws PluginStartException {
    return PluginClient.start(Plugins.echo(CP).socketParent(temp).network(Network.fromWireName(network))
        .autoMtls(autoMtls).build());
  }

  @ParameterizedTest(name = "{0}, AutoMTLS {1}")
  @CsvSource({"unix, false", "unix, true", "tcp, true"})
  void thePluginDialsAServiceTheHostOffers(String network, boolean autoMtls) throws Exception {
    try (PluginClient client = start(network, autoMtls)) {
      int id = client.broker().nextId();
      Server server = client.broker().acceptAndServe(id, new HostCounter());

      EchoResponse reply = client.dispense(EchoGrpc::newBlockingStub)
          .echo(EchoRequest.newBuilder().setText("brokered").setDialCounter(id).build());

      assertThat(reply.getCount()).isEqualTo(1008);
      SocketAddress listening = server.getListenSockets().get(0);
      assertThat(listening).isInstanceOf(DomainSocketAddress.class);
      assertThat(Path.of(((DomainSocketAddress) listening).path())).startsWithRaw(temp);
    }
  }

  @ParameterizedTest(name = "{0}, AutoMTLS {1}")
  @CsvSource({"unix, false", "unix, true", "tcp, true"})
  void theHostDialsAServiceThePluginOffers(String network, boolean autoMtls) throws Exception {
    try (PluginClient client = start(network, autoMtls)) {
      EchoResponse reply = client.dispense(EchoGrpc::newBlockingStub)
          .echo(EchoRequest.newBuilder().setServeCounter(true).build());
      assertThat(reply.getBrokerId()).isPositive();

      ManagedChannel channel = client.broker().dial(reply.getBrokerId());
      int length = CounterGrpc.newBlockingStub(channel).count(CountRequest.newBuilder().setText("héllo").build())
          .getLength();

      assertThat(length).isEqualTo(5);
    }
  }

  @Test
  void aDialWaitingBeforeTheAnnouncementGetsIt() throws Exception {
    try (PluginClient client = start("unix", false)) {
      int id = client.broker().nextId();
      CompletableFuture<EchoResponse> pending = CompletableFuture.supplyAsync(() -> client
          .dispense(EchoGrpc::newBlockingStub).echo(EchoRequest.newBuilder().setText("later").setDialCounter(id)
              .build()));
      client.broker().acceptAndServe(id, new HostCounter());

      assertThat(pending.get().getCount()).isEqualTo(1005);
    }
  }

  @Test
  void anIdNeverAnnouncedTimesOutAfterFiveSecondsNamingIt() throws Exception {
    try (PluginClient client = start("unix", false)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.broker().dial(42))
          .isInstanceOf(GrpcBroker.BrokerException.class)
          .hasMessageContaining("timeout waiting for connection info for broker id 42")
          .hasMessageContaining("plugin echo");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(GrpcBroker.TIMEOUT);
    }
  }

  @Test
  void closingTheClientStopsBrokeredServersAndRemovesTheirSockets() throws Exception {
    PluginClient client = start("unix", false);
    int id = client.broker().nextId();
    Server server = client.broker().acceptAndServe(id, new HostCounter());
    Path socket = Path.of(((DomainSocketAddress) server.getListenSockets().get(0)).path());
    assertThat(Files.exists(socket)).as("socket %s", socket).isTrue();

    client.close();

    assertThat(server.isShutdown()).isTrue();
    assertThat(Files.exists(socket)).isFalse();
  }
}
