package dev.htmlize.plugin.testkit;

import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.LogEntry;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.PluginJvms;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.SiteService;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessContentsBatchRequest;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessContentsResult;
import dev.htmlize.plugin.proto.ProcessRolesBatchRequest;
import dev.htmlize.plugin.proto.ProcessRolesResult;
import dev.htmlize.plugin.proto.ProcessRoleRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * An htmlize plugin running as a real subprocess, called over gRPC as the host calls it. Errors the plugin answers
 * with come back as {@link io.grpc.StatusRuntimeException}s whose message names the plugin.
 */
public final class PluginUnderTest implements AutoCloseable {
  private final PluginClient client;
  private final HtmlizerGrpc.HtmlizerBlockingStub stub;
  private final List<LogEntry> logs;

  private PluginUnderTest(PluginClient client, List<LogEntry> logs) {
    this.client = client;
    this.stub = client.dispense(HtmlizerGrpc::newBlockingStub);
    this.logs = logs;
  }

  /** Starts a plugin whose {@code main} is in this class, on this JVM's class path (what a module's tests see). */
  public static PluginUnderTest mainClass(Class<?> mainClass, String... args) {
    List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of).toList();
    return java(classPath, mainClass.getName(), args);
  }

  /** Starts a plugin on a JVM, as the htmlize Maven plugin does. */
  public static PluginUnderTest java(List<Path> classPath, String mainClass, String... args) {
    // The argument file is read when the JVM starts, and not needed after: it goes once the plugin is up.
    Path argFiles;
    try {
      argFiles = Files.createTempDirectory("htmlize-testkit-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return command(PluginJvms.command(List.of(), classPath, mainClass, List.of(args), argFiles).command());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try (Stream<Path> files = Files.list(argFiles)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(argFiles);
      } catch (IOException e) {
        // A temporary file of a few hundred bytes; the test's result does not depend on it.
      }
    }
  }

  /** Starts a plugin from a command line: an executable and its arguments. */
  public static PluginUnderTest command(List<String> command) {
    return start(ClientConfig.builder(Path.of(command.get(0)).getFileName().toString(), HtmlizeProtocol.HANDSHAKE)
        .command(command));
  }

  /** Starts a plugin from a client configuration (which must use htmlize's handshake). */
  public static PluginUnderTest start(ClientConfig.Builder config) {
    List<LogEntry> logs = new CopyOnWriteArrayList<>();
    try {
      PluginClient client = PluginClient.start(config.logger(logs::add)
          .protocolVersions(java.util.Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
          .callTimeout(Duration.ofSeconds(60)).build());
      return new PluginUnderTest(client, logs);
    } catch (PluginStartException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  public List<String> hooks() {
    return stub.hooks(HooksRequest.getDefaultInstance()).getHooksList();
  }

  /** Configures the plugin without a site: a plugin that uses {@link dev.htmlize.plugin.Site} fails. */
  public void configure(Map<String, String> properties) {
    stub.configure(ConfigureRequest.newBuilder().putAllProperties(properties).build());
  }

  /**
   * Configures the plugin and offers it these pages as the {@code htmlize.v1.Site}, through the broker, as the
   * htmlize Maven plugin does.
   */
  public void configure(Map<String, String> properties, List<Post> site) {
    int id = client.broker().nextId();
    try {
      client.broker().acceptAndServe(id, new SiteService(() -> site));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stub.configure(ConfigureRequest.newBuilder().putAllProperties(properties).setSiteBrokerId(id).build());
  }

  public String processRole(String role, String value, Post post) {
    return stub.processRole(ProcessRoleRequest.newBuilder().setRole(role).setValue(value)
        .setPost(Protos.toProto(post)).build()).getHtml();
  }

  public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    return stub.processRoles(ProcessRolesRequest.newBuilder().setPost(Protos.toProto(post))
        .addAllRoles(roles.stream().map(Protos::toProto).toList()).build()).getHtmlList();
  }

  public String processContents(String html, Post post) {
    return stub.processContents(ProcessContentsRequest.newBuilder().setHtml(html).setPost(Protos.toProto(post))
        .build()).getHtml();
  }

  /**
   * Several pages' roles in one {@code ProcessRolesBatch} call, as the host sends them.
   *
   * @param pages each page with its occurrences, in order
   * @return one result per page, in order: its HTML, or its error (with the failed occurrence's index if known)
   */
  public List<ProcessRolesResult> processRolesBatch(Map<Post, List<RoleOccurrence>> pages) {
    ProcessRolesBatchRequest.Builder batch = ProcessRolesBatchRequest.newBuilder();
    pages.forEach((post, roles) -> batch.addPages(ProcessRolesRequest.newBuilder().setPost(Protos.toProto(post))
        .addAllRoles(roles.stream().map(Protos::toProto).toList())));
    return stub.processRolesBatch(batch.build()).getResultsList();
  }

  /** Several pages' bodies in one {@code ProcessContentsBatch} call; one result per page, in order. */
  public List<ProcessContentsResult> processContentsBatch(Map<Post, String> pages) {
    ProcessContentsBatchRequest.Builder batch = ProcessContentsBatchRequest.newBuilder();
    pages.forEach((post, html) -> batch.addPages(ProcessContentsRequest.newBuilder().setHtml(html)
        .setPost(Protos.toProto(post))));
    return stub.processContentsBatch(batch.build()).getResultsList();
  }

  /** What the plugin logged on stderr so far. */
  public List<LogEntry> logs() {
    return List.copyOf(logs);
  }

  /** The underlying client, for pings, the pid and the exit status. */
  public PluginClient client() {
    return client;
  }

  /** A post for tests: the given source path, the output path beside it, everything else empty. */
  public static Post post(String sourcePath) {
    return post(sourcePath, "");
  }

  /** A post for tests, with an author. */
  public static Post post(String sourcePath, String author) {
    String output = sourcePath.replaceFirst("\\.[^./]*$", "") + ".html";
    return new Post(sourcePath.hashCode(), author, "", sourcePath, output, "", List.of(), Map.of());
  }

  /** Shuts the plugin down. */
  @Override
  public void close() {
    client.close();
  }
}
