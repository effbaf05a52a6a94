package dev.htmlize.engine.testplugins;

import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.ConfigureResponse;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessContentsBatchRequest;
import dev.htmlize.plugin.proto.ProcessContentsBatchResponse;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessContentsResponse;
import dev.htmlize.plugin.proto.ProcessContentsResult;
import dev.htmlize.plugin.proto.ProcessRolesBatchRequest;
import dev.htmlize.plugin.proto.ProcessRolesBatchResponse;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.ProcessRolesResponse;
import dev.htmlize.plugin.proto.ProcessRolesResult;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test plugin written without the SDK that numbers the calls it gets: each role renders as {@code [rN]} and each
 * body gets {@code <!-- cN -->}, N the number of the call that carried it. With the argument {@code batch} it
 * implements the batch calls; without, it has only the per-page calls, as a plugin built before them.
 */
public class CallCountPlugin extends HtmlizerGrpc.HtmlizerImplBase {
  private final AtomicInteger roleCalls = new AtomicInteger();
  private final AtomicInteger contentsCalls = new AtomicInteger();

  public static void main(String[] args) {
    HtmlizerGrpc.HtmlizerImplBase service = args.length > 0 && args[0].equals("batch") ? new Batching()
        : new CallCountPlugin();
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, service).build());
  }

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> responses) {
    responses.onNext(HooksResponse.newBuilder().addHooks("role:n").addHooks("contents").build());
    responses.onCompleted();
  }

  @Override
  public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responses) {
    responses.onNext(ConfigureResponse.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void processRoles(ProcessRolesRequest request, StreamObserver<ProcessRolesResponse> responses) {
    responses.onNext(roles(request, roleCalls.incrementAndGet()));
    responses.onCompleted();
  }

  @Override
  public void processContents(ProcessContentsRequest request, StreamObserver<ProcessContentsResponse> responses) {
    responses.onNext(contents(request, contentsCalls.incrementAndGet()));
    responses.onCompleted();
  }

  static ProcessRolesResponse roles(ProcessRolesRequest request, int call) {
    ProcessRolesResponse.Builder answer = ProcessRolesResponse.newBuilder();
    request.getRolesList().forEach(role -> answer.addHtml("[r" + call + "]"));
    return answer.build();
  }

  static ProcessContentsResponse contents(ProcessContentsRequest request, int call) {
    return ProcessContentsResponse.newBuilder().setHtml(request.getHtml() + "<!-- c" + call + " -->").build();
  }

  /** The same, with the batch calls. */
  static final class Batching extends CallCountPlugin {
    @Override
    public void processRolesBatch(ProcessRolesBatchRequest request,
                                  StreamObserver<ProcessRolesBatchResponse> responses) {
      int call = super.roleCalls.incrementAndGet();
      ProcessRolesBatchResponse.Builder answer = ProcessRolesBatchResponse.newBuilder();
      request.getPagesList().forEach(page -> answer.addResults(ProcessRolesResult.newBuilder()
          .setResponse(roles(page, call))));
      responses.onNext(answer.build());
      responses.onCompleted();
    }

    @Override
    public void processContentsBatch(ProcessContentsBatchRequest request,
                                     StreamObserver<ProcessContentsBatchResponse> responses) {
      int call = super.contentsCalls.incrementAndGet();
      ProcessContentsBatchResponse.Builder answer = ProcessContentsBatchResponse.newBuilder();
      request.getPagesList().forEach(page -> answer.addResults(ProcessContentsResult.newBuilder()
          .setResponse(contents(page, call))));
      responses.onNext(answer.build());
      responses.onCompleted();
    }
  }
}
