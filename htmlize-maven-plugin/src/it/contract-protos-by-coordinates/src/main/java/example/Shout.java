package example;

import dev.htmlize.goplugin.proto.GRPCControllerGrpc;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRoleResponse;
import io.grpc.stub.StreamObserver;

/** An Htmlizer written against stubs generated here, from the published contract, with no htmlize SDK. */
public final class Shout extends HtmlizerGrpc.HtmlizerImplBase {
  static final String CONTROLLER = GRPCControllerGrpc.SERVICE_NAME;

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> response) {
    response.onNext(HooksResponse.newBuilder().addHooks("role:shout").build());
    response.onCompleted();
  }

  @Override
  public void processRole(ProcessRoleRequest request, StreamObserver<ProcessRoleResponse> response) {
    response.onNext(ProcessRoleResponse.newBuilder().setHtml(request.getValue().toUpperCase()).build());
    response.onCompleted();
  }
}
