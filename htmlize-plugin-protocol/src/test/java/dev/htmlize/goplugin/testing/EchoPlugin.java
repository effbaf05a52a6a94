package dev.htmlize.goplugin.testing;

import dev.htmlize.goplugin.HandshakeConfig;
import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.goplugin.test.proto.CountRequest;
import dev.htmlize.goplugin.test.proto.CountResponse;
import dev.htmlize.goplugin.test.proto.CounterGrpc;
import dev.htmlize.goplugin.test.proto.EchoGrpc;
import dev.htmlize.goplugin.test.proto.EchoRequest;
import dev.htmlize.goplugin.test.proto.EchoResponse;
import io.grpc.stub.StreamObserver;
import dev.htmlize.goplugin.GrpcBroker;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime's test plugin: a real plugin process serving two logical plugins ({@code Echo} and {@code Counter})
 * with go-plugin's protocol. Arguments: {@code --versions=1,2} (app protocol versions served, default 1) and
 * {@code --debug}.
 */
public final class EchoPlugin {
  public static final HandshakeConfig HANDSHAKE = new HandshakeConfig("GOPLUGIN_TEST_COOKIE", "d1c2b3a4");

  private EchoPlugin() {
  }

  public static void main(String[] args) {
    HclogWriter log = new HclogWriter(System.err, "echo", LogLevel.TRACE);
    ServeConfig.Builder config = ServeConfig.builder(HANDSHAKE).module("echo").logLevel(LogLevel.TRACE)
        .debugFromArgs(args);
    int[] versions = Arrays.stream(args).filter(a -> a.startsWith("--versions="))
        .flatMapToInt(a -> Arrays.stream(a.substring("--versions=".length()).split(",")).mapToInt(Integer::parseInt))
        .toArray();
    for (int version : versions.length == 0 ? new int[] {1} : versions) {
      config.plugins(version, broker -> List.of(new EchoService(log, version, broker), new CounterService()));
    }
    Serve.serve(config.build());
  }

  static final class EchoService extends EchoGrpc.EchoImplBase {
    private final HclogWriter log;
    private final int version;
    private final GrpcBroker broker;

    EchoService(HclogWriter log, int version, GrpcBroker broker) {
      this.log = log;
      this.version = version;
      this.broker = broker;
    }

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
      if (!request.getLogMessage().isEmpty()) {
        log.log(LogLevel.fromJsonName(request.getLogLevel()), request.getLogMessage(), "version", version);
      }
      for (int i = 0; i < request.getLogLines(); i++) {
        log.info("flood line " + i, "padding", "x".repeat(80));
      }
      for (int i = 0; i < Math.max(1, request.getRepeat()); i++) {
        if (!request.getPrintStdout().isEmpty()) {
          System.out.print(request.getPrintStdout());
        }
      }
      System.out.flush();
      if (!request.getPrintStderr().isEmpty()) {
        System.err.print(request.getPrintStderr());
        System.err.flush();
      }
      if (request.getExitStatus() != 0) {
        log.error("exiting as asked", "status", request.getExitStatus());
        Runtime.getRuntime().halt(request.getExitStatus());
      }
      if (request.getDelayMillis() > 0) {
        log.debug("sleeping", "millis", request.getDelayMillis());
        try {
          Thread.sleep(request.getDelayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      EchoResponse.Builder response = EchoResponse.newBuilder()
          .setText(request.getText())
          .setPid(ProcessHandle.current().pid());
      try {
        if (request.getDialCounter() != 0) {
          ManagedChannel channel = broker.dial(request.getDialCounter());
          response.setCount(CounterGrpc.newBlockingStub(channel)
              .count(CountRequest.newBuilder().setText(request.getText()).build()).getLength());
          channel.shutdownNow();
        }
        if (request.getServeCounter()) {
          int id = broker.nextId();
          broker.acceptAndServe(id, new CounterService());
          response.setBrokerId(id);
        }
      } catch (GrpcBroker.BrokerException | IOException | RuntimeException e) {
        responses.onError(Status.UNAVAILABLE.withDescription("broker: " + e.getMessage()).asRuntimeException());
        return;
      }
      responses.onNext(response.build());
      responses.onCompleted();
    }
  }

  static final class CounterService extends CounterGrpc.CounterImplBase {
    @Override
    public void count(CountRequest request, StreamObserver<CountResponse> responses) {
      responses.onNext(CountResponse.newBuilder()
          .setLength(request.getText().codePointCount(0, request.getText().length())).build());
      responses.onCompleted();
    }
  }
}
