package dev.htmlize.plugin;

import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.ConfigureResponse;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.PageError;
import dev.htmlize.plugin.proto.ProcessContentsBatchRequest;
import dev.htmlize.plugin.proto.ProcessContentsBatchResponse;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessContentsResponse;
import dev.htmlize.plugin.proto.ProcessContentsResult;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRoleResponse;
import dev.htmlize.plugin.proto.ProcessRolesBatchRequest;
import dev.htmlize.plugin.proto.ProcessRolesBatchResponse;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.plugin.proto.ProcessRolesResponse;
import dev.htmlize.plugin.proto.ProcessRolesResult;
import dev.htmlize.goplugin.GrpcBroker;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
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
  /** The trailer that names the failed occurrence's index in a ProcessRoles request. */
  public static final Metadata.Key<String> ROLE_INDEX =
      Metadata.Key.of("htmlize-role-index", Metadata.ASCII_STRING_MARSHALLER);

  private final Htmlizer htmlizer;
  private final HclogWriter log;
  private final GrpcBroker broker;

  /**
   * @param htmlizer the implementation
   * @param log      where failures are logged
   * @param broker   the plugin's broker, to reach the host's {@link Site}; {@code null} for none
   */
  public HtmlizerService(Htmlizer htmlizer, HclogWriter log, GrpcBroker broker) {
    this.htmlizer = htmlizer;
    this.log = log;
    this.broker = broker;
  }

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> responses) {
    answer(responses, "Hooks", () -> HooksResponse.newBuilder().addAllHooks(htmlizer.hooks()).build());
  }

  @Override
  public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responses) {
    answer(responses, "Configure", () -> {
      htmlizer.configure(request.getPropertiesMap(), site(request.getSiteBrokerId()));
      return ConfigureResponse.getDefaultInstance();
    });
  }

  @Override
  public void processRole(ProcessRoleRequest request, StreamObserver<ProcessRoleResponse> responses) {
    answer(responses, "ProcessRole", List.of(), () -> ProcessRoleResponse.newBuilder()
        .setHtml(htmlizer.processRole(request.getRole(), request.getValue(), Protos.fromProto(request.getPost())))
        .build());
  }

  @Override
  public void processRoles(ProcessRolesRequest request, StreamObserver<ProcessRolesResponse> responses) {
    List<RoleOccurrence> roles = Protos.fromProto(request.getRolesList());
    answer(responses, "ProcessRoles", roles, () -> roles(request, roles));
  }

  @Override
  public void processContents(ProcessContentsRequest request, StreamObserver<ProcessContentsResponse> responses) {
    answer(responses, "ProcessContents", () -> contents(request));
  }

  /** Each page in turn, on this call's thread; a page that fails has its error in its result, the others go on. */
  @Override
  public void processRolesBatch(ProcessRolesBatchRequest request,
                                StreamObserver<ProcessRolesBatchResponse> responses) {
    ProcessRolesBatchResponse.Builder results = ProcessRolesBatchResponse.newBuilder();
    for (ProcessRolesRequest page : request.getPagesList()) {
      List<RoleOccurrence> roles = Protos.fromProto(page.getRolesList());
      ProcessRolesResult.Builder result = ProcessRolesResult.newBuilder();
      try {
        result.setResponse(roles(page, roles));
      } catch (RuntimeException | StackOverflowError e) {
        result.setError(pageError(failure(e, "ProcessRoles", roles)));
      } catch (OutOfMemoryError e) {
        result.setError(PageError.newBuilder().setMessage(outOfMemory(e)));
      }
      results.addResults(result);
    }
    responses.onNext(results.build());
    responses.onCompleted();
  }

  @Override
  public void processContentsBatch(ProcessContentsBatchRequest request,
                                   StreamObserver<ProcessContentsBatchResponse> responses) {
    ProcessContentsBatchResponse.Builder results = ProcessContentsBatchResponse.newBuilder();
    for (ProcessContentsRequest page : request.getPagesList()) {
      ProcessContentsResult.Builder result = ProcessContentsResult.newBuilder();
      try {
        result.setResponse(contents(page));
      } catch (RuntimeException | StackOverflowError e) {
        result.setError(pageError(failure(e, "ProcessContents", List.of())));
      } catch (OutOfMemoryError e) {
        result.setError(PageError.newBuilder().setMessage(outOfMemory(e)));
      }
      results.addResults(result);
    }
    responses.onNext(results.build());
    responses.onCompleted();
  }

  private ProcessRolesResponse roles(ProcessRolesRequest request, List<RoleOccurrence> roles) {
    List<String> html = htmlizer.processRoles(Protos.fromProto(request.getPost()), roles);
    if (html == null || html.size() != roles.size()) {
      throw new IllegalStateException("processRoles returned " + (html == null ? "null" : html.size()
          + " results") + " for " + roles.size() + " roles");
    }
    for (String one : html) {
      if (one == null) {
        throw new IllegalStateException("processRoles returned null for a role");
      }
    }
    return ProcessRolesResponse.newBuilder().addAllHtml(html).build();
  }

  private ProcessContentsResponse contents(ProcessContentsRequest request) {
    String html = htmlizer.processContents(request.getHtml(), Protos.fromProto(request.getPost()));
    if (html == null) {
      throw new IllegalStateException("processContents returned null");
    }
    return ProcessContentsResponse.newBuilder().setHtml(html).build();
  }

  private static PageError pageError(Failure failure) {
    PageError.Builder error = PageError.newBuilder().setMessage(failure.message());
    if (failure.roleIndex() >= 0) {
      error.setRoleIndex(failure.roleIndex());
    }
    return error.build();
  }

  private Site site(int brokerId) {
    if (brokerId == 0 || broker == null) {
      return Site.unavailable();
    }
    try {
      ManagedChannel channel = broker.dial(brokerId);
      return new SiteClient(channel);
    } catch (GrpcBroker.BrokerException e) {
      throw new IllegalStateException("cannot reach the host's Site service: " + e.getMessage(), e);
    }
  }

  private <T> void answer(StreamObserver<T> responses, String method, Supplier<T> work) {
    answer(responses, method, List.of(), work);
  }

  private <T> void answer(StreamObserver<T> responses, String method, List<RoleOccurrence> roles, Supplier<T> work) {
    T response;
    try {
      response = work.get();
      if (response == null) {
        throw new IllegalStateException(method + " returned null");
      }
    } catch (RuntimeException e) {
      Failure failure = failure(e, method, roles);
      Metadata trailers = new Metadata();
      if (failure.roleIndex() >= 0) {
        trailers.put(ROLE_INDEX, Integer.toString(failure.roleIndex()));
      }
      Status status = e instanceof IllegalArgumentException ? Status.INVALID_ARGUMENT : Status.INTERNAL;
      responses.onError(status.withDescription(failure.message()).asRuntimeException(trailers));
      return;
    } catch (OutOfMemoryError e) {
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(outOfMemory(e)).asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }

  /** The page was too much for this plugin's heap; the heap may be whole again once the call's garbage is gone. */
  private String outOfMemory(OutOfMemoryError e) {
    log.error("out of memory", "error", e.toString());
    return "the plugin ran out of memory (" + e + "); give its JVM more heap with -Xmx";
  }

  /** A failed call's message and the index of the occurrence to blame (-1 for none); logs it. */
  private record Failure(String message, int roleIndex) {
  }

  private Failure failure(Throwable e, String method, List<RoleOccurrence> roles) {
    if (e instanceof RoleException role) {
      int index = role.occurrence().map(o -> indexOf(roles, o)).orElse(-1);
      if (index < 0 && roles.isEmpty() && method.equals("ProcessRole")) {
        index = 0;
      }
      log.debug(method + " refused a role", "error", e.getMessage());
      return new Failure(e.getMessage(), index);
    }
    String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    log.error(method + " failed", "error", message, "trace", stackTrace(e));
    return new Failure(message, -1);
  }

  private static int indexOf(List<RoleOccurrence> roles, RoleOccurrence occurrence) {
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i) == occurrence) {
        return i;
      }
    }
    return roles.indexOf(occurrence);
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
