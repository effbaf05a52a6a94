package dev.htmlize.bench;

import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.proto.ProcessContentsRequest;
import dev.htmlize.samples.narcissist.NarcissistPlugin;
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
 * One page's {@code ProcessContents} call to the {@code narcissist} plugin, pages of 1 KB to 1 MB: the only call whose
 * message grows with the page (the article's program sends the whole post with every role instead).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ContentsBenchmark {
  @Param({"direct", "unix", "tcp"})
  public String transport;

  @Param({"1", "16", "128", "1024"})
  public int pageKb;

  private PluginCallState plugin;
  private String html;

  @Setup(Level.Trial)
  public void start() throws Exception {
    plugin = new PluginCallState(NarcissistPlugin.class, transport);
    StringBuilder page = new StringBuilder();
    int paragraph = 0;
    while (page.length() < pageKb * 1024) {
      page.append("<p>Paragraph ").append(paragraph++).append(": what I wrote about plugins, processes and ")
          .append("sockets, and why it matters for a build that renders many pages.</p>\n");
    }
    html = page.substring(0, pageKb * 1024);
  }

  @TearDown(Level.Trial)
  public void stop() {
    plugin.close();
  }

  @Benchmark
  public String processContents() {
    if (plugin.stub == null) {
      return plugin.direct.processContents(html, PluginCallState.POST);
    }
    return plugin.stub.processContents(ProcessContentsRequest.newBuilder().setHtml(html)
        .setPost(Protos.toProto(PluginCallState.POST)).build()).getHtml();
  }
}
