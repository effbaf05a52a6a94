package dev.htmlize.goplugin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.HandshakeLine;
import dev.htmlize.goplugin.ProcessIdentity;
import dev.htmlize.goplugin.SocketDirectory;
import dev.htmlize.goplugin.testing.EchoPlugin;
import dev.htmlize.goplugin.testing.Plugins;
import dev.htmlize.goplugin.testing.Processes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin watches the host its environment names from its first instruction: a host already gone, or one whose pid
 * now belongs to another process, ends it at once; a host that dies ends it within a poll, and it takes its sockets
 * and the directory the host made for them with it.
 */
class HostWatchTest {
  @TempDir
  Path temp;

  /** The echo plugin's process, launched as a host would, with the given host identity. */
  private Process plugin(Map<String, String> host, Path socketDirectory) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Plugins.echoCommand(Plugins.testClassPath(), List.of()))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put(EchoPlugin.HANDSHAKE.magicCookieKey(), EchoPlugin.HANDSHAKE.magicCookieValue());
    env.put(GoPluginEnv.PROTOCOL_VERSIONS, "1");
    env.put(GoPluginEnv.UNIX_SOCKET_DIR, socketDirectory.toString());
    env.putAll(host);
    return builder.start();
  }

  private static Map<String, String> identity(long pid, String start) {
    Map<String, String> env = new HashMap<>();
    env.put(GoPluginEnv.HOST_PID, Long.toString(pid));
    env.put(GoPluginEnv.HOST_START, start);
    return env;
  }

  private static String startOf(Process process) {
    return Long.toString(ProcessIdentity.of(process.pid()).start().orElseThrow());
  }

  @Test
  void aPluginWhoseHostIsAlreadyGoneExitsAtOnceWithoutServing() throws Exception {
    Process gone = new ProcessBuilder("sleep", "60").start();
    String start = startOf(gone);
    gone.destroyForcibly();
    gone.waitFor();
    Path dir = Files.createDirectories(temp.resolve("sockets"));

    Process plugin = plugin(identity(gone.pid(), start), dir);

    assertThat(plugin.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(plugin.exitValue()).isZero();
    assertThat(plugin.getInputStream().readAllBytes()).as("no handshake line").isEmpty();
  }

  @Test
  void aPidGivenToAnotherProcessIsNotTheHost() throws Exception {
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      long wrongStart = Long.parseLong(startOf(other)) + 1;
      Process plugin = plugin(identity(other.pid(), Long.toString(wrongStart)),
          Files.createDirectories(temp.resolve("sockets")));

      assertThat(plugin.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(plugin.getInputStream().readAllBytes()).isEmpty();
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void aPluginEndsWhenTheHostItsEnvironmentNamesDiesAndRemovesItsSocketsAndTheirDirectory() throws Exception {
    Process host = new ProcessBuilder("sleep", "60").start();
    try (SocketDirectory sockets = SocketDirectory.create(temp, 24)) {
      Process plugin = plugin(identity(host.pid(), startOf(host)), sockets.path());
      BufferedReader out = new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
      Path socket = Path.of(HandshakeLine.parse(out.readLine()).address());
      assertThat(socket.getParent()).isEqualTo(sockets.path());
      assertThat(SocketDirectory.isSocket(socket)).isTrue();

      host.destroyForcibly();
      host.waitFor();

      assertThat(Processes.awaitStopped(plugin.pid(), Duration.ofSeconds(2))).isTrue();
      assertThat(plugin.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(plugin.exitValue()).isZero();
      assertThat(sockets.path()).doesNotExist();
    } finally {
      host.destroyForcibly();
    }
  }
}
