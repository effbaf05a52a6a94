package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.DaemonThreads;
import dev.htmlize.goplugin.proto.Empty;
import dev.htmlize.goplugin.proto.GRPCControllerGrpc;
import io.grpc.stub.StreamObserver;

/** {@code plugin.GRPCController}: {@code Shutdown} answers, then stops the server at once, as a Go plugin does. */
final class ControllerService extends GRPCControllerGrpc.GRPCControllerImplBase {
  private final Runnable shutdown;

  ControllerService(Runnable shutdown) {
    this.shutdown = shutdown;
  }

  @Override
  public void shutdown(Empty request, StreamObserver<Empty> responses) {
    responses.onNext(Empty.getDefaultInstance());
    responses.onCompleted();
    DaemonThreads.start("plugin-shutdown", shutdown);
  }
}
