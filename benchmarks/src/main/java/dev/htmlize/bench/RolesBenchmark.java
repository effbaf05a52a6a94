package dev.htmlize.bench;

import dev.htmlize.plugin.Protos;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import dev.htmlize.samples.tt.TtPlugin;
import java.util.ArrayList;
import java.util.List;
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
 * One page's {@code ProcessRoles} call to the {@code tt} plugin with 1 to 10,000 roles: in process, over a unix
 * socket, over TCP. The slope between 1,000 and 10,000 roles is the marginal cost of a role.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RolesBenchmark {
  @Param({"direct", "unix", "tcp"})
  public String transport;

  @Param({"1", "10", "100", "1000", "10000"})
  public int roles;

  private PluginCallState plugin;
  private List<RoleOccurrence> occurrences;

  @Setup(Level.Trial)
  public void start() throws Exception {
    plugin = new PluginCallState(TtPlugin.class, transport);
    occurrences = new ArrayList<>(roles);
    for (int i = 0; i < roles; i++) {
      occurrences.add(new RoleOccurrence("tt", "value<" + i + ">", 1 + i));
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    plugin.close();
  }

  @Benchmark
  public List<String> processRoles() {
    if (plugin.stub == null) {
      return plugin.direct.processRoles(PluginCallState.POST, occurrences);
    }
    ProcessRolesRequest.Builder call = ProcessRolesRequest.newBuilder().setPost(Protos.toProto(PluginCallState.POST));
    occurrences.forEach(role -> call.addRoles(Protos.toProto(role)));
    return plugin.stub.processRoles(call.build()).getHtmlList();
  }
}
