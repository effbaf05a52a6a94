package dev.htmlize.engine;

import dev.htmlize.engine.PluginManager.PluginCallException;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.HtmlizerService;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.SiteService;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.PageError;
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
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A plugin process, launched and called with go-plugin's protocol over gRPC. */
final class GrpcPluginEndpoint implements PluginEndpoint {
  /** At most this many pages go in one batch call. */
  static final int MAX_BATCH_PAGES = 64;
  /** A batch call carries about this many bytes at most; a page larger than that goes alone. */
  static final int MAX_BATCH_BYTES = 1 << 20;
  /** A batch call is sized to take about this long, from the plugin's time per page so far. */
  static final long TARGET_CALL_NANOS = 200_000_000L;
  /**
   * A plugin without the batch calls gets at most this many calls at once from each render thread (before batches
   * it got one), so that calls queued in a plugin that serves one at a time do not wait out their deadline.
   */
  static final int CALLS_IN_FLIGHT = 4;

  private final PluginSpec spec;
  private final PluginClient client;
  private final HtmlizerGrpc.HtmlizerBlockingStub stub;
  private final HtmlizerGrpc.HtmlizerFutureStub futureStub;
  private final RenderRequest request;
  private final EngineLog log;
  /** Whether to send batches of roles, and of contents: until the plugin answers that batch call UNIMPLEMENTED. */
  private volatile boolean rolesBatches = true;
  private volatile boolean contentsBatches = true;
  /** This plugin's time per page in its latest batch call, in nanoseconds (0: not measured yet). */
  private final AtomicLong rolesNanosPerPage = new AtomicLong();
  private final AtomicLong contentsNanosPerPage = new AtomicLong();

  private GrpcPluginEndpoint(PluginSpec spec, PluginClient client, RenderRequest request, EngineLog log) {
    this.spec = spec;
    this.client = client;
    this.stub = client.dispense(HtmlizerGrpc::newBlockingStub);
    this.futureStub = client.dispense(HtmlizerGrpc::newFutureStub);
    this.request = request;
    this.log = log;
  }

  /** A plugin JVM that writes its class-data sharing archive at exit takes a second or more to exit. */
  private static final Duration DUMP_GRACE = Duration.ofSeconds(15);

  private static boolean dumpsClassData(PluginSpec spec) {
    return spec.command().stream().anyMatch(argument -> argument.startsWith("-XX:ArchiveClassesAtExit="));
  }

  /** Launches the plugin and completes the handshake, or connects to it if the request reattaches it. */
  static GrpcPluginEndpoint start(PluginSpec spec, RenderRequest request, EngineLog log)
      throws PluginStartException {
    PluginLogBridge bridge = new PluginLogBridge(spec.name(), log);
    ClientConfig.Builder builder = ClientConfig.builder(spec.name(), HtmlizeProtocol.HANDSHAKE);
    if (dumpsClassData(spec)) {
      builder.shutdownGrace(DUMP_GRACE);
    }
    ClientConfig config = builder
        .protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
        .command(spec.command())
        .environment(PluginEnvironment.of(request, spec))
        .startTimeout(request.startTimeout())
        .callTimeout(request.callTimeout())
        .sha256(spec.sha256())
        .autoMtls(spec.autoMtls())
        .allowPlaintextTcp(spec.allowPlaintextTcp())
        .logger(bridge)
        .stdio(bridge)
        .build();
    ReattachConfig running = request.reattach().get(spec.name());
    if (running == null) {
      return new GrpcPluginEndpoint(spec, PluginClient.start(config), request, log);
    }
    PluginClient client = PluginClient.reattach(running, config);
    log.info("htmlize: plugin " + spec.name() + " is the running one at " + running.network().wireName() + ":"
        + running.address() + (running.pid() > 0 ? " (pid " + running.pid() + ")" : "")
        + (running.test() ? "; it stays running after the build" : ""));
    return new GrpcPluginEndpoint(spec, client, request, log);
  }

  @Override
  public Optional<Long> pid() {
    return client.pid();
  }

  @Override
  public List<String> hooks() throws PluginCallException {
    try {
      return deadline().hooks(HooksRequest.getDefaultInstance()).getHooksList();
    } catch (StatusRuntimeException e) {
      throw failure(e);
    }
  }

  /** Offers the plugin the site through the broker (its id goes in the request) and configures it. */
  @Override
  public void configure(Map<String, String> properties, Supplier<List<Post>> site) throws PluginCallException {
    int siteId = client.broker().nextId();
    try {
      client.broker().acceptAndServe(siteId, new SiteService(site));
    } catch (IOException e) {
      throw new PluginCallException("plugin " + spec.name() + ": cannot offer it the site: " + e.getMessage(), e);
    }
    try {
      deadline().configure(ConfigureRequest.newBuilder().putAllProperties(properties).setSiteBrokerId(siteId)
          .build());
    } catch (StatusRuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public List<Answer<List<String>>> processRoles(List<RolesCall> pages) {
    List<ProcessRolesRequest> requests = new ArrayList<>(pages.size());
    for (RolesCall page : pages) {
      ProcessRolesRequest.Builder call = ProcessRolesRequest.newBuilder().setPost(Protos.toProto(page.post()));
      page.roles().forEach(role -> call.addRoles(Protos.toProto(role)));
      requests.add(call.build());
    }
    List<Answer<List<String>>> answers = new ArrayList<>(pages.size());
    for (int from = 0; from < requests.size(); ) {
      int to = batchEnd(requests, from, rolesNanosPerPage);
      List<ProcessRolesRequest> batch = requests.subList(from, to);
      List<RolesCall> mine = pages.subList(from, to);
      List<Answer<List<String>>> batched = rolesBatches ? rolesBatch(batch, mine) : null;
      answers.addAll(batched != null ? batched : rolesOneByOne(batch, mine));
      from = to;
    }
    return answers;
  }

  /** The batch call's answers, or {@code null} if the plugin does not implement it. */
  private List<Answer<List<String>>> rolesBatch(List<ProcessRolesRequest> batch, List<RolesCall> pages) {
    ProcessRolesBatchResponse response;
    long started = System.nanoTime();
    try {
      response = deadline().processRolesBatch(ProcessRolesBatchRequest.newBuilder().addAllPages(batch).build());
      measured(rolesNanosPerPage, System.nanoTime() - started, batch.size());
    } catch (StatusRuntimeException e) {
      if (unimplemented(e, "ProcessRolesBatch")) {
        return null;
      }
      return allFailed(failure(e), pages.size());
    } catch (OutOfMemoryError e) {
      return allFailed(outOfMemory(e), pages.size());
    }
    if (response.getResultsCount() != pages.size()) {
      return allFailed(wrongCount("ProcessRolesBatch", response.getResultsCount(), pages.size()), pages.size());
    }
    List<Answer<List<String>>> answers = new ArrayList<>(pages.size());
    for (int i = 0; i < pages.size(); i++) {
      ProcessRolesResult result = response.getResults(i);
      if (result.hasResponse()) {
        answers.add(Answer.of(result.getResponse().getHtmlList()));
      } else {
        PageError error = result.getError();
        List<RoleOccurrence> roles = pages.get(i).roles();
        RoleOccurrence occurrence = error.hasRoleIndex() && error.getRoleIndex() >= 0
            && error.getRoleIndex() < roles.size() ? roles.get(error.getRoleIndex()) : null;
        answers.add(Answer.failed(pageFailure(result.hasError() ? error.getMessage() : null, occurrence)));
      }
    }
    return answers;
  }

  /** One call per page, all sent at once, for a plugin without the batch call. */
  private List<Answer<List<String>>> rolesOneByOne(List<ProcessRolesRequest> batch, List<RolesCall> pages) {
    List<Answer<List<String>>> answers = new ArrayList<>(batch.size());
    for (int from = 0; from < batch.size(); from += CALLS_IN_FLIGHT) {
      List<ListenableFuture<ProcessRolesResponse>> calls = new ArrayList<>(CALLS_IN_FLIGHT);
      batch.subList(from, Math.min(batch.size(), from + CALLS_IN_FLIGHT))
          .forEach(request -> calls.add(futureDeadline().processRoles(request)));
      for (int i = 0; i < calls.size(); i++) {
        try {
          answers.add(Answer.of(await(calls.get(i)).getHtmlList()));
        } catch (StatusRuntimeException e) {
          answers.add(Answer.failed(rolesFailure(e, pages.get(from + i).roles())));
        } catch (OutOfMemoryError e) {
          answers.add(Answer.failed(outOfMemory(e)));
        }
      }
    }
    return answers;
  }

  private PluginCallException rolesFailure(StatusRuntimeException e, List<RoleOccurrence> roles) {
    PluginCallException failure = failure(e);
    String index = e.getTrailers() == null ? null : e.getTrailers().get(HtmlizerService.ROLE_INDEX);
    if (index != null) {
      try {
        int i = Integer.parseInt(index.strip());
        if (i >= 0 && i < roles.size()) {
          return new PluginCallException(failure.getMessage(), e, roles.get(i));
        }
      } catch (NumberFormatException ignored) {
        // A malformed trailer only loses the line.
      }
    }
    return failure;
  }

  @Override
  public List<Answer<String>> processContents(List<ContentsCall> pages) {
    List<ProcessContentsRequest> requests = new ArrayList<>(pages.size());
    for (ContentsCall page : pages) {
      requests.add(ProcessContentsRequest.newBuilder().setHtml(page.html()).setPost(Protos.toProto(page.post()))
          .build());
    }
    List<Answer<String>> answers = new ArrayList<>(pages.size());
    for (int from = 0; from < requests.size(); ) {
      int to = batchEnd(requests, from, contentsNanosPerPage);
      List<ProcessContentsRequest> batch = requests.subList(from, to);
      List<Answer<String>> batched = contentsBatches ? contentsBatch(batch) : null;
      answers.addAll(batched != null ? batched : contentsOneByOne(batch));
      from = to;
    }
    return answers;
  }

  private List<Answer<String>> contentsBatch(List<ProcessContentsRequest> batch) {
    ProcessContentsBatchResponse response;
    long started = System.nanoTime();
    try {
      response = deadline().processContentsBatch(ProcessContentsBatchRequest.newBuilder().addAllPages(batch)
          .build());
      measured(contentsNanosPerPage, System.nanoTime() - started, batch.size());
    } catch (StatusRuntimeException e) {
      if (unimplemented(e, "ProcessContentsBatch")) {
        return null;
      }
      return allFailed(failure(e), batch.size());
    } catch (OutOfMemoryError e) {
      return allFailed(outOfMemory(e), batch.size());
    }
    if (response.getResultsCount() != batch.size()) {
      return allFailed(wrongCount("ProcessContentsBatch", response.getResultsCount(), batch.size()), batch.size());
    }
    List<Answer<String>> answers = new ArrayList<>(batch.size());
    for (ProcessContentsResult result : response.getResultsList()) {
      answers.add(result.hasResponse() ? Answer.of(result.getResponse().getHtml())
          : Answer.failed(pageFailure(result.hasError() ? result.getError().getMessage() : null, null)));
    }
    return answers;
  }

  private List<Answer<String>> contentsOneByOne(List<ProcessContentsRequest> batch) {
    List<Answer<String>> answers = new ArrayList<>(batch.size());
    for (int from = 0; from < batch.size(); from += CALLS_IN_FLIGHT) {
      List<ListenableFuture<ProcessContentsResponse>> calls = new ArrayList<>(CALLS_IN_FLIGHT);
      batch.subList(from, Math.min(batch.size(), from + CALLS_IN_FLIGHT))
          .forEach(request -> calls.add(futureDeadline().processContents(request)));
      for (ListenableFuture<ProcessContentsResponse> call : calls) {
        try {
          answers.add(Answer.of(await(call).getHtml()));
        } catch (StatusRuntimeException e) {
          answers.add(Answer.failed(failure(e)));
        } catch (OutOfMemoryError e) {
          answers.add(Answer.failed(outOfMemory(e)));
        }
      }
    }
    return answers;
  }

  /**
   * Where the batch that starts at {@code from} ends: at most {@link #MAX_BATCH_PAGES} pages and about
   * {@link #MAX_BATCH_BYTES} bytes (a larger page goes alone), so that a batch stays well under gRPC's usual 4 MB
   * message limit; and as many pages as this plugin renders in about {@link #TARGET_CALL_NANOS}, judged from its
   * earlier batches (one page before the first answer), so that a slow plugin gets one page per call, each call
   * within {@code callTimeout} as before batches, and a fast one gets many.
   */
  private static int batchEnd(List<? extends com.google.protobuf.MessageLite> requests, int from,
                              AtomicLong nanosPerPage) {
    long perPage = nanosPerPage.get();
    int pages = perPage == 0 ? 1 : (int) Math.max(1, Math.min(MAX_BATCH_PAGES, TARGET_CALL_NANOS / perPage));
    long bytes = 0;
    int to = from;
    while (to < requests.size() && to - from < pages) {
      int size = requests.get(to).getSerializedSize();
      if (to > from && bytes + size > MAX_BATCH_BYTES) {
        break;
      }
      bytes += size;
      to++;
    }
    return to;
  }

  /**
   * Records a batch call's time per page: the latest call's, since a plugin's first calls are slow while its JVM
   * warms up and the next batch should not pay for them.
   */
  private static void measured(AtomicLong nanosPerPage, long nanos, int pages) {
    nanosPerPage.set(Math.max(1, nanos / Math.max(1, pages)));
  }

  /** Whether the plugin lacks the batch call; from then on, pages go one call each. */
  private boolean unimplemented(StatusRuntimeException e, String method) {
    if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
      return false;
    }
    boolean roles = method.equals("ProcessRolesBatch");
    if (roles ? rolesBatches : contentsBatches) {
      if (roles) {
        rolesBatches = false;
      } else {
        contentsBatches = false;
      }
      log.debug("plugin " + spec.name() + " does not implement " + method + "; it gets one call per page");
    }
    return true;
  }

  private static <T> List<Answer<T>> allFailed(PluginCallException failure, int count) {
    List<Answer<T>> answers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      answers.add(Answer.failed(failure));
    }
    return answers;
  }

  private PluginCallException wrongCount(String method, int results, int pages) {
    return new PluginCallException("plugin " + spec.name() + " answered " + method + " with " + results
        + " results for " + pages + " pages", null);
  }

  private PluginCallException pageFailure(String message, RoleOccurrence occurrence) {
    return new PluginCallException("plugin " + spec.name() + client.pid().map(pid -> " (pid " + pid + ")").orElse("")
        + ": " + (message == null || message.isEmpty()
        ? "failed without a message" : message), null, occurrence);
  }

  private static <T> T await(ListenableFuture<T> call) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw status;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private HtmlizerGrpc.HtmlizerBlockingStub deadline() {
    return stub.withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private HtmlizerGrpc.HtmlizerFutureStub futureDeadline() {
    return futureStub.withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The plugin answered more than the build's heap holds. */
  private PluginCallException outOfMemory(OutOfMemoryError e) {
    return new PluginCallException("plugin " + spec.name() + ": its answer " + MEMORY_ADVICE + " (" + e + ")", e);
  }

  private static final String MEMORY_ADVICE = "does not fit in the build's memory; give Maven more heap "
      + "(MAVEN_OPTS=-Xmx2g, say), or have the plugin answer less";

  /** Whether a failed call failed because this JVM ran out of memory reading the answer (netty's buffers, say). */
  private static boolean outOfMemory(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private PluginCallException failure(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    String message = description != null && description.startsWith("plugin ") ? description
        : "plugin " + spec.name() + ": " + e.getStatus().getCode() + (description == null ? ""
            : ": " + description);
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      message += " (the call took longer than the call timeout; the plugin is stopped)";
      client.close();
    } else if (outOfMemory(e)) {
      message += "; the answer " + MEMORY_ADVICE;
    } else if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      message += " (a Java plugin's heap is set in its <jvmArgs>, e.g. <jvmArg>-Xmx512m</jvmArg>)";
    }
    return new PluginCallException(message, e);
  }
}
