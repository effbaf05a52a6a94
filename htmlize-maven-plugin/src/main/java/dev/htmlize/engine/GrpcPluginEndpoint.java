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
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A plugin process, launched and called with go-plugin's protocol over gRPC. */
final class GrpcPluginEndpoint implements PluginEndpoint {
  private final PluginSpec spec;
  private final PluginClient client;
  private final HtmlizerGrpc.HtmlizerBlockingStub stub;
  private final RenderRequest request;

  private GrpcPluginEndpoint(PluginSpec spec, PluginClient client, RenderRequest request) {
    this.spec = spec;
    this.client = client;
    this.stub = client.dispense(HtmlizerGrpc::newBlockingStub);
    this.request = request;
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
        .logger(bridge)
        .stdio(bridge)
        .build();
    ReattachConfig running = request.reattach().get(spec.name());
    if (running == null) {
      return new GrpcPluginEndpoint(spec, PluginClient.start(config), request);
    }
    PluginClient client = PluginClient.reattach(running, config);
    log.info("htmlize: plugin " + spec.name() + " is the running one at " + running.network().wireName() + ":"
        + running.address() + (running.pid() > 0 ? " (pid " + running.pid() + ")" : "")
        + (running.test() ? "; it stays running after the build" : ""));
    return new GrpcPluginEndpoint(spec, client, request);
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
  public List<String> processRoles(Post post, List<RoleOccurrence> roles) throws PluginCallException {
    ProcessRolesRequest.Builder call = ProcessRolesRequest.newBuilder().setPost(Protos.toProto(post));
    roles.forEach(role -> call.addRoles(Protos.toProto(role)));
    try {
      return deadline().processRoles(call.build()).getHtmlList();
    } catch (StatusRuntimeException e) {
      PluginCallException failure = failure(e);
      String index = e.getTrailers() == null ? null : e.getTrailers().get(HtmlizerService.ROLE_INDEX);
      if (index != null) {
        try {
          int i = Integer.parseInt(index.strip());
          if (i >= 0 && i < roles.size()) {
            throw new PluginCallException(failure.getMessage(), e, roles.get(i));
          }
        } catch (NumberFormatException ignored) {
          // A malformed trailer only loses the line.
        }
      }
      throw failure;
    }
  }

  @Override
  public String processContents(String html, Post post) throws PluginCallException {
    try {
      return deadline().processContents(ProcessContentsRequest.newBuilder().setHtml(html)
          .setPost(Protos.toProto(post)).build()).getHtml();
    } catch (StatusRuntimeException e) {
      throw failure(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private HtmlizerGrpc.HtmlizerBlockingStub deadline() {
    return stub.withDeadlineAfter(request.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private PluginCallException failure(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    String message = description != null && description.startsWith("plugin ") ? description
        : "plugin " + spec.name() + ": " + e.getStatus().getCode() + (description == null ? ""
            : ": " + description);
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      message += " (the call took longer than the call timeout; the plugin is stopped)";
      client.close();
    }
    return new PluginCallException(message, e);
  }
}
