package dev.htmlize.bench;

import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.proto.ProcessContentsBatchRequest;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.plugin.proto.ProcessRolesBatchRequest;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.samples.narcissist.NarcissistPlugin;
import dev.htmlize.samples.tt.TtPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A batch of 64 pages as the engine sends it to one plugin, once its JVM is warm: {@code ProcessRolesBatch} with 8
 * roles per page to {@code tt}, or {@code ProcessContentsBatch} with 3 KB pages (the generated site's size) to
 * {@code narcissist}; in process, the same pages one {@code Htmlizer} call each. What a page costs out of process
 * once start-up is paid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchBenchmark {
  public static final int PAGES = 64;

  @Param({"direct", "unix"})
  public String transport;

  @Param({"roles", "contents"})
  public String hook;

  private PluginCallState plugin;
  private final List<Post> posts = new ArrayList<>();
  private final List<List<RoleOccurrence>> roles = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();

  @Setup(Level.Trial)
  public void start() throws Exception {
    plugin = new PluginCallState(hook.equals("roles") ? TtPlugin.class : NarcissistPlugin.class, transport);
    for (int p = 0; p < PAGES; p++) {
      posts.add(new Post(p, "Ann", "Page " + p, "docs/p" + p + ".md", "docs/p" + p + ".html", "2026-01-02",
          List.of("bench"), Map.of("section", "s" + (p % 4))));
      List<RoleOccurrence> mine = new ArrayList<>();
      for (int r = 0; r < 8; r++) {
        mine.add(new RoleOccurrence("tt", "value " + p + "." + r, 3 + r));
      }
      roles.add(mine);
      StringBuilder page = new StringBuilder();
      int paragraph = 0;
      while (page.length() < 3 * 1024) {
        page.append("<p>Paragraph ").append(paragraph++).append(" of page ").append(p)
            .append(": what I wrote about plugins, processes and sockets.</p>\n");
      }
      bodies.add(page.toString());
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    plugin.close();
  }

  @Benchmark
  public Object batch() {
    if (plugin.stub == null) {
      List<Object> out = new ArrayList<>(PAGES);
      for (int p = 0; p < PAGES; p++) {
        out.add(hook.equals("roles") ? plugin.direct.processRoles(posts.get(p), roles.get(p))
            : plugin.direct.processContents(bodies.get(p), posts.get(p)));
      }
      return out;
    }
    if (hook.equals("roles")) {
      ProcessRolesBatchRequest.Builder batch = ProcessRolesBatchRequest.newBuilder();
      for (int p = 0; p < PAGES; p++) {
        ProcessRolesRequest.Builder page = ProcessRolesRequest.newBuilder().setPost(Protos.toProto(posts.get(p)));
        roles.get(p).forEach(role -> page.addRoles(Protos.toProto(role)));
        batch.addPages(page);
      }
      return plugin.stub.processRolesBatch(batch.build());
    }
    ProcessContentsBatchRequest.Builder batch = ProcessContentsBatchRequest.newBuilder();
    for (int p = 0; p < PAGES; p++) {
      batch.addPages(ProcessContentsRequest.newBuilder().setHtml(bodies.get(p))
          .setPost(Protos.toProto(posts.get(p))));
    }
    return plugin.stub.processContentsBatch(batch.build());
  }
}
