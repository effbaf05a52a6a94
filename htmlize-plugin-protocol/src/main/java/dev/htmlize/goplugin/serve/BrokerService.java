package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.proto.ConnInfo;
import dev.htmlize.goplugin.proto.GRPCBrokerGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code plugin.GRPCBroker}: accepts the host's {@code StartStream}, holds it open for the life of the connection, and
 * carries this plugin's {@link GrpcBroker} announcements both ways. A plugin in debug mode serves several hosts one
 * after another; the latest stream is the one in use.
 */
final class BrokerService extends GRPCBrokerGrpc.GRPCBrokerImplBase {
  private final AtomicBoolean started = new AtomicBoolean();
  private final GrpcBroker broker;
  private final HclogWriter log;

  BrokerService(GrpcBroker broker, HclogWriter log) {
    this.broker = broker;
    this.log = log;
  }

  @Override
  public StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responses) {
    if (!started.compareAndSet(false, true)) {
      log.debug("broker: a new broker stream replaces the previous one (a new host connected)");
    }
    ServerCallStreamObserver<ConnInfo> call = (ServerCallStreamObserver<ConnInfo>) responses;
    call.setOnCancelHandler(() -> {
      log.trace("broker stream cancelled by the host");
      broker.disconnect(responses);
    });
    broker.connect(responses);
    return new StreamObserver<>() {
      @Override
      public void onNext(ConnInfo info) {
        broker.receive(info);
      }

      @Override
      public void onError(Throwable t) {
        log.trace("broker stream ended", "status", Status.fromThrowable(t));
        broker.disconnect(responses);
      }

      @Override
      public void onCompleted() {
        broker.disconnect(responses);
        responses.onCompleted();
      }
    };
  }
}
