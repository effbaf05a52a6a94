package dev.htmlize.engine.testplugins;

import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.ConfigureResponse;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.ProcessRolesResponse;
import io.grpc.stub.StreamObserver;

/** A test plugin written without the SDK that answers ProcessRoles with one result too few. */
public final class WrongCountPlugin extends HtmlizerGrpc.HtmlizerImplBase {
  public static void main(String[] args) {
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, new WrongCountPlugin()).build());
  }

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> responses) {
    responses.onNext(HooksResponse.newBuilder().addHooks("role:short").build());
    responses.onCompleted();
  }

  @Override
  public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responses) {
    responses.onNext(ConfigureResponse.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void processRoles(ProcessRolesRequest request, StreamObserver<ProcessRolesResponse> responses) {
    ProcessRolesResponse.Builder answer = ProcessRolesResponse.newBuilder();
    for (int i = 1; i < request.getRolesCount(); i++) {
      answer.addHtml("<i>" + i + "</i>");
    }
    responses.onNext(answer.build());
    responses.onCompleted();
  }
}
