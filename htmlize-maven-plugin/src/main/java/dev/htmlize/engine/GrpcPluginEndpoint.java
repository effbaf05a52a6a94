package dev.htmlize.engine;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.MessageLite;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.PluginCallFailure;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
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
import dev.htmlize.plugin.SharedPlugins;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A plugin process, launched and called with go-plugin's protocol over gRPC. Pages go in batch calls, sized by
 * {@link BatchPolicy}, until the plugin answers a batch call {@code UNIMPLEMENTED}; from then on, one call per page.
 */
final class GrpcPluginEndpoint implements PluginEndpoint {
  /** The two batch calls, each given up on its own when the plugin lacks it. */
  enum Batch {
    ROLES("ProcessRolesBatch"), CONTENTS("ProcessContentsBatch");

    private final String method;

    Batch(String method) {
      this.method = method;
    }
  }

  private static final String MEMORY_ADVICE = "does not fit in the build's memory; give Maven more heap "
      + "(MAVEN_OPTS=-Xmx2g, say), or have the plugin answer less";

  private final PluginSpec spec;
  private final PluginClient client;
  private final HtmlizerGrpc.HtmlizerBlockingStub stub;
  private final HtmlizerGrpc.HtmlizerFutureStub futureStub;
  /** The request of the render it serves: a plugin kept for the next module serves that module's next. */
  private volatile RenderRequest request;
  private final EngineLog log;
  /** Whether to send each batch call: until the plugin answers it UNIMPLEMENTED. */
  private final Map<Batch, AtomicBoolean> batches = new EnumMap<>(Batch.class);
  /** This plugin's time per page in its latest call of each batch kind, in nanoseconds (0: not measured yet). */
  private final Map<Batch, AtomicLong> nanosPerPage = new EnumMap<>(Batch.class);

  /** The plugin JVM this plugin shares with others, or {@code null} for a process of its own. */
  private final SharedPluginJvm shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GrpcPluginEndpoint(PluginSpec spec, PluginClient client, RenderRequest request, EngineLog log) {
    this(spec, client, request, log, null, Function.identity());
  }

  private GrpcPluginEndpoint(PluginSpec spec, PluginClient client, RenderRequest request, EngineLog log,
                             SharedPluginJvm shared, Function<Channel, Channel> channel) {
    this.spec = spec;
    this.client = client;
    this.shared = shared;
    this.stub = client.dispense(c -> HtmlizerGrpc.newBlockingStub(channel.apply(c)));
    this.futureStub = client.dispense(c -> HtmlizerGrpc.newFutureStub(channel.apply(c)));
    this.request = request;
    this.log = log;
    for (Batch batch : Batch.values()) {
      batches.put(batch, new AtomicBoolean(true));
      nanosPerPage.put(batch, new AtomicLong());
    }
  }

  /**
   * One plugin of a shared plugin JVM: its calls carry its index in {@link SharedPlugins#PLUGIN_HEADER}, and closing
   * it releases the JVM, which stops once every plugin in it is closed.
   */
  static GrpcPluginEndpoint member(PluginSpec spec, SharedPluginJvm jvm, int index, RenderRequest request,
                                   EngineLog log) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(SharedPlugins.PLUGIN_HEADER, Metadata.ASCII_STRING_MARSHALLER),
        Integer.toString(index));
    ClientInterceptor header = MetadataUtils.newAttachHeadersInterceptor(headers);
    return new GrpcPluginEndpoint(spec, jvm.client(), request, log, jvm,
        channel -> ClientInterceptors.intercept(channel, header));
  }

  /** Launches the plugin and completes the handshake, or connects to it if the request reattaches it. */
  static GrpcPluginEndpoint start(PluginSpec spec, RenderRequest request, EngineLog log)
      throws PluginStartException {
    ClientConfig config = config(spec.name(), spec, spec.command(), new PluginLogBridge(spec.name(), log), request);
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

  /** The client configuration of a plugin process: {@code spec}'s, with this name, command and log. */
  static ClientConfig config(String name, PluginSpec spec, List<String> command, PluginLogBridge bridge,
                             RenderRequest request) {
    ClientConfig.Builder builder = ClientConfig.builder(name, HtmlizeProtocol.HANDSHAKE);
    spec.shutdownGrace().ifPresent(builder::shutdownGrace);
    return builder
        .protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
        .command(command)
        .environment(PluginEnvironment.of(request, spec))
        .startTimeout(request.startTimeout())
        .callTimeout(request.callTimeout())
        .sha256(spec.sha256())
        .autoMtls(spec.autoMtls())
        .allowPlaintextTcp(spec.allowPlaintextTcp())
        .logger(bridge)
        .stdio(bridge)
        .build();
  }

  /**
   * Whether the plugin, asked for its hooks in a shared plugin JVM, said it cannot be served there (its {@code main}
   * serves go-plugin's protocol itself): it then runs in a process of its own.
   */
  static boolean notShareable(PluginCallException e) {
    if (!(e.getCause() instanceof StatusRuntimeException status)
        || status.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
      return false;
    }
    String detail = PluginCallFailure.of(status).map(PluginCallFailure::detail)
        .orElseGet(() -> String.valueOf(status.getStatus().getDescription()));
    return detail.contains(SharedPlugins.NOT_SHAREABLE);
  }

  @Override
  public void rebind(RenderRequest request) {
    this.request = request;
  }

  @Override
  public boolean alive() {
    return client.isAlive();
  }

  @Override
  public OptionalLong pid() {
    return client.pid().map(OptionalLong::of).orElse(OptionalLong.empty());
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
      throw new PluginCallException(failed(PluginFailure.Kind.CALL, "cannot offer it the site: " + e.getMessage()),
          e);
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
    return inCalls(Batch.ROLES, requests, (from, to) -> rolesBatch(requests.subList(from, to),
        pages.subList(from, to)), (from, to) -> rolesOneByOne(requests.subList(from, to), pages.subList(from, to)));
  }

  @Override
  public List<Answer<String>> processContents(List<ContentsCall> pages) {
    List<ProcessContentsRequest> requests = new ArrayList<>(pages.size());
    for (ContentsCall page : pages) {
      requests.add(ProcessContentsRequest.newBuilder().setHtml(page.html()).setPost(Protos.toProto(page.post()))
          .build());
    }
    return inCalls(Batch.CONTENTS, requests, (from, to) -> contentsBatch(requests.subList(from, to)),
        (from, to) -> contentsOneByOne(requests.subList(from, to)));
  }

  /** One range of pages' answers. */
  private interface Calls<T> {
    List<Answer<T>> call(int from, int to);
  }

  /**
   * The answers for every page: range by range as {@link BatchPolicy} sizes them, in batch calls while the plugin has
   * them ({@code batched} answers {@code null} once it turns out not to), else one call per page.
   */
  private <T> List<Answer<T>> inCalls(Batch kind, List<? extends MessageLite> requests, Calls<T> batched,
                                      Calls<T> oneByOne) {
    List<Answer<T>> answers = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); ) {
      int to = BatchPolicy.callEnd(requests, from, nanosPerPage.get(kind).get());
      List<Answer<T>> range = batches.get(kind).get() ? batched.call(from, to) : null;
      answers.addAll(range != null ? range : oneByOne.call(from, to));
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
      measured(Batch.ROLES, System.nanoTime() - started, batch.size());
    } catch (StatusRuntimeException e) {
      if (unimplemented(e, Batch.ROLES)) {
        return null;
      }
      return allFailed(failure(e), pages.size());
    } catch (OutOfMemoryError e) {
      return allFailed(outOfMemory(e), pages.size());
    }
    if (response.getResultsCount() != pages.size()) {
      return allFailed(wrongCount(Batch.ROLES, response.getResultsCount(), pages.size()), pages.size());
    }
    List<Answer<List<String>>> answers = new ArrayList<>(pages.size());
    for (int i = 0; i < pages.size(); i++) {
      ProcessRolesResult result = response.getResults(i);
      if (result.hasResponse()) {
        answers.add(Answer.of(result.getResponse().getHtmlList()));
      } else {
        PageError error = result.getError();
        List<RoleOccurrence> roles = pages.get(i).roles();
        PluginCallException failure = pageFailure(result.hasError() ? error.getMessage() : null);
        answers.add(Answer.failed(error.hasRoleIndex() && error.getRoleIndex() >= 0
            && error.getRoleIndex() < roles.size() ? at(failure, roles.get(error.getRoleIndex())) : failure));
      }
    }
    return answers;
  }

  /** One call per page, all sent at once, for a plugin without the batch call. */
  private List<Answer<List<String>>> rolesOneByOne(List<ProcessRolesRequest> batch, List<RolesCall> pages) {
    return oneByOne(batch, request -> futureDeadline().processRoles(request), ProcessRolesResponse::getHtmlList,
        (e, i) -> rolesFailure(e, pages.get(i).roles()));
  }

  /** Sends the calls, {@link BatchPolicy#CALLS_IN_FLIGHT} at a time, and awaits their answers, in order. */
  private <Q, R, T> List<Answer<T>> oneByOne(List<Q> requests, Function<Q, ListenableFuture<R>> send,
                                             Function<R, T> value, FailureOf failureOf) {
    List<Answer<T>> answers = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += BatchPolicy.CALLS_IN_FLIGHT) {
      List<ListenableFuture<R>> calls = new ArrayList<>(BatchPolicy.CALLS_IN_FLIGHT);
      requests.subList(from, Math.min(requests.size(), from + BatchPolicy.CALLS_IN_FLIGHT))
          .forEach(request -> calls.add(send.apply(request)));
      for (int i = 0; i < calls.size(); i++) {
        try {
          answers.add(Answer.of(value.apply(await(calls.get(i)))));
        } catch (StatusRuntimeException e) {
          answers.add(Answer.failed(failureOf.failure(e, from + i)));
        } catch (OutOfMemoryError e) {
          answers.add(Answer.failed(outOfMemory(e)));
        }
      }
    }
    return answers;
  }

  /** The failure of one page's call. */
  private interface FailureOf {
    PluginCallException failure(StatusRuntimeException e, int page);
  }

  /** A failed ProcessRoles call, at the occurrence its {@code htmlize-role-index} trailer names, if any. */
  private PluginCallException rolesFailure(StatusRuntimeException e, List<RoleOccurrence> roles) {
    PluginCallException failure = failure(e);
    String index = e.getTrailers() == null ? null : e.getTrailers().get(HtmlizerService.ROLE_INDEX);
    if (index != null) {
      try {
        int i = Integer.parseInt(index.strip());
        if (i >= 0 && i < roles.size()) {
          return at(failure, roles.get(i));
        }
      } catch (NumberFormatException ignored) {
        // A malformed trailer only loses the line.
      }
    }
    return failure;
  }

  private List<Answer<String>> contentsBatch(List<ProcessContentsRequest> batch) {
    ProcessContentsBatchResponse response;
    long started = System.nanoTime();
    try {
      response = deadline().processContentsBatch(ProcessContentsBatchRequest.newBuilder().addAllPages(batch)
          .build());
      measured(Batch.CONTENTS, System.nanoTime() - started, batch.size());
    } catch (StatusRuntimeException e) {
      if (unimplemented(e, Batch.CONTENTS)) {
        return null;
      }
      return allFailed(failure(e), batch.size());
    } catch (OutOfMemoryError e) {
      return allFailed(outOfMemory(e), batch.size());
    }
    if (response.getResultsCount() != batch.size()) {
      return allFailed(wrongCount(Batch.CONTENTS, response.getResultsCount(), batch.size()), batch.size());
    }
    List<Answer<String>> answers = new ArrayList<>(batch.size());
    for (ProcessContentsResult result : response.getResultsList()) {
      answers.add(result.hasResponse() ? Answer.of(result.getResponse().getHtml())
          : Answer.failed(pageFailure(result.hasError() ? result.getError().getMessage() : null)));
    }
    return answers;
  }

  private List<Answer<String>> contentsOneByOne(List<ProcessContentsRequest> batch) {
    return oneByOne(batch, request -> futureDeadline().processContents(request), ProcessContentsResponse::getHtml,
        (e, i) -> failure(e));
  }

  private void measured(Batch kind, long nanos, int pages) {
    nanosPerPage.get(kind).set(BatchPolicy.nanosPerPage(nanos, pages));
  }

  /** Whether the plugin lacks the batch call; from then on, pages go one call each. */
  private boolean unimplemented(StatusRuntimeException e, Batch kind) {
    if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
      return false;
    }
    if (batches.get(kind).getAndSet(false)) {
      log.debug("plugin " + spec.name() + " does not implement " + kind.method + "; it gets one call per page");
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

  private PluginFailure failed(PluginFailure.Kind kind, String detail) {
    return new PluginFailure(spec.name(), pid(), kind, detail);
  }

  private static PluginCallException at(PluginCallException failure, RoleOccurrence occurrence) {
    return new PluginCallException(failure.failure().at(occurrence), failure.getCause());
  }

  private PluginCallException wrongCount(Batch kind, int results, int pages) {
    return new PluginCallException(failed(PluginFailure.Kind.WRONG_ANSWER, "answered " + kind.method + " with "
        + results + " results for " + pages + " pages"), null);
  }

  /** One page of a batch failed, with the plugin's own message. */
  private PluginCallException pageFailure(String message) {
    return new PluginCallException(failed(PluginFailure.Kind.CALL, message == null || message.isEmpty()
        ? "failed without a message" : message), null);
  }

  /** The plugin answered more than the build's heap holds. */
  private PluginCallException outOfMemory(OutOfMemoryError e) {
    return new PluginCallException(failed(PluginFailure.Kind.OUT_OF_MEMORY, "its answer " + MEMORY_ADVICE + " ("
        + e + ")"), e);
  }

  /** Whether a failed call failed because this JVM ran out of memory reading the answer (netty's buffers, say). */
  private static boolean outOfMemory(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** A failed call, as the runtime describes it (see {@link PluginCallFailure}), with what to do about it. */
  private PluginCallException failure(StatusRuntimeException e) {
    Optional<PluginCallFailure> described = PluginCallFailure.of(e);
    String detail = described.map(PluginCallFailure::detail).orElseGet(() -> e.getStatus().getCode()
        + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
    PluginFailure.Kind kind = PluginFailure.Kind.CALL;
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      kind = PluginFailure.Kind.TIMEOUT;
      detail += " (the call took longer than the call timeout; the plugin is stopped)";
      if (shared != null) {
        shared.stop();
      } else {
        client.close();
      }
    } else if (outOfMemory(e)) {
      kind = PluginFailure.Kind.OUT_OF_MEMORY;
      detail += "; the answer " + MEMORY_ADVICE;
    } else if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
      detail += " (a Java plugin's heap is set in its <jvmArgs>, e.g. <jvmArg>-Xmx512m</jvmArg>)";
    }
    if (shared != null && !client.isAlive()) {
      detail += " (" + shared.description() + " is gone; <isolated>true</isolated> gives a plugin a JVM of its own)";
    }
    return new PluginCallException(new PluginFailure(spec.name(), pid(), kind, detail), e);
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
    if (shared == null) {
      client.close();
    } else if (!closed.getAndSet(true)) {
      shared.release();
    }
  }

  private HtmlizerGrpc.HtmlizerBlockingStub deadline() {
    return stub.withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private HtmlizerGrpc.HtmlizerFutureStub futureDeadline() {
    return futureStub.withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}
