package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.proto.ConnInfo;
import dev.htmlize.goplugin.proto.GRPCBrokerGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code plugin.GRPCBroker}: accepts the host's one {@code StartStream} and holds it open for the life of the
 * plugin, as go-plugin's broker does. Announcements of services the host offers are logged; none is dialled yet.
 */
final class BrokerService extends GRPCBrokerGrpc.GRPCBrokerImplBase {
  private final AtomicBoolean started = new AtomicBoolean();
  private final HclogWriter log;

  BrokerService(HclogWriter log) {
    this.log = log;
  }

  @Override
  public StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responses) {
    if (!started.compareAndSet(false, true)) {
      responses.onError(Status.FAILED_PRECONDITION.withDescription("the broker stream is already open").asException());
      return new StreamObserver<>() {
        @Override
        public void onNext(ConnInfo value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
      };
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(ConnInfo info) {
        log.debug("broker: host announced a service; nothing here dials it", "service_id", info.getServiceId(),
            "network", info.getNetwork(), "address", info.getAddress());
      }

      @Override
      public void onError(Throwable t) {
        log.trace("broker stream ended", "status", Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }
}
