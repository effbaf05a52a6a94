package dev.htmlize.plugin;

import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.ConfigureResponse;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessContentsResponse;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRoleResponse;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.ProcessRolesResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code htmlize.v1.Htmlizer} over an {@link Htmlizer}. An exception from the plugin's code becomes a gRPC error
 * whose message names the exception (the host reports it with the plugin's name and the page); its stack trace goes
 * to the log.
 */
public final class HtmlizerService extends HtmlizerGrpc.HtmlizerImplBase {
  private final Htmlizer htmlizer;
  private final HclogWriter log;

  /**
   * @param htmlizer the implementation
   * @param log      where failures are logged
   */
  public HtmlizerService(Htmlizer htmlizer, HclogWriter log) {
    this.htmlizer = htmlizer;
    this.log = log;
  }

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> responses) {
    answer(responses, "Hooks", () -> HooksResponse.newBuilder().addAllHooks(htmlizer.hooks()).build());
  }

  @Override
  public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responses) {
    answer(responses, "Configure", () -> {
      htmlizer.configure(request.getPropertiesMap());
      return ConfigureResponse.getDefaultInstance();
    });
  }

  @Override
  public void processRole(ProcessRoleRequest request, StreamObserver<ProcessRoleResponse> responses) {
    answer(responses, "ProcessRole", () -> ProcessRoleResponse.newBuilder()
        .setHtml(htmlizer.processRole(request.getRole(), request.getValue(), Protos.fromProto(request.getPost())))
        .build());
  }

  @Override
  public void processRoles(ProcessRolesRequest request, StreamObserver<ProcessRolesResponse> responses) {
    answer(responses, "ProcessRoles", () -> {
      List<RoleOccurrence> roles = Protos.fromProto(request.getRolesList());
      List<String> html = htmlizer.processRoles(Protos.fromProto(request.getPost()), roles);
      if (html.size() != roles.size()) {
        throw new IllegalStateException("processRoles returned " + html.size() + " results for " + roles.size()
            + " roles");
      }
      return ProcessRolesResponse.newBuilder().addAllHtml(html).build();
    });
  }

  @Override
  public void processContents(ProcessContentsRequest request, StreamObserver<ProcessContentsResponse> responses) {
    answer(responses, "ProcessContents", () -> ProcessContentsResponse.newBuilder()
        .setHtml(htmlizer.processContents(request.getHtml(), Protos.fromProto(request.getPost())))
        .build());
  }

  private <T> void answer(StreamObserver<T> responses, String method, Supplier<T> work) {
    T response;
    try {
      response = work.get();
      if (response == null) {
        throw new IllegalStateException(method + " returned null");
      }
    } catch (RuntimeException e) {
      String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      log.error(method + " failed", "error", message, "trace", stackTrace(e));
      Status status = e instanceof IllegalArgumentException ? Status.INVALID_ARGUMENT : Status.INTERNAL;
      responses.onError(status.withDescription(message).asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
