package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.goplugin.testing.Processes;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole builds in their own JVMs ({@link EngineMain}), interrupted with Ctrl-C or run twice at once. */
class WholeBuildProcessTest {
  private static final Pattern STARTED = Pattern.compile("plugin (\\S+) \\(pid (\\d+)\\) started");
  private static final Path ABBR = TestPlugins.ABBR;

  @TempDir
  Path temp;

  /** A running build and the lines it printed. */
  private static final class Build {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<String> all = new CopyOnWriteArrayList<>();

    Build(List<String> command) throws IOException {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            all.add(line);
            lines.add(line);
          }
        } catch (IOException e) {
          // The process is gone.
        }
      }, "build-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line containing the text; fails with everything printed so far if it does not come. */
    String await(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no line with \"" + text + "\" within " + timeout + "; the build printed:\n"
              + String.join("\n", all));
        }
        if (line.contains(text)) {
          return line;
        }
      }
    }
  }

  private static List<String> engineMain(List<String> prefix, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EngineMain.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void ctrlCEndsTheBuildAndEveryPluginOfEveryLanguage() throws Exception {
    boolean python = Files.isExecutable(ABBR);
    if (!python && Boolean.getBoolean("htmlize.requireCrossLanguage")) {
      Assertions.fail(ABBR + " is not built (dev/install-test-deps installs what it needs)");
    }
    Assumptions.assumeTrue(new File("/usr/bin/setsid").canExecute(), "needs setsid");
    Path src = Files.createDirectories(temp.resolve("src"));
    Files.writeString(src.resolve("a.md"), "Wait :hang:`here`.\n");
    List<String> args = new ArrayList<>(List.of(src.toString(), temp.resolve("out").toString(),
        temp.resolve("work").toString(), "shout"));
    if (python) {
      args.add(ABBR.toString());
    }
    // Its own process group, as a build started from a terminal: Ctrl-C signals the whole group. With SIGINT at its
    // default action, as in a terminal: a process started in the background by a shell inherits SIGINT ignored, and
    // a JVM that starts with SIGINT ignored keeps ignoring it (these tests may run so).
    Build build = new Build(engineMain(List.of("/usr/bin/setsid", "/usr/bin/env", "--default-signal=INT"),
        args.toArray(String[]::new)));
    List<Long> plugins = new ArrayList<>();
    for (int i = 0; i < args.size() - 3; i++) {
      Matcher started = STARTED.matcher(build.await(") started", Duration.ofSeconds(60)));
      assertThat(started.find()).isTrue();
      plugins.add(Long.parseLong(started.group(2)));
    }
    build.await("hanging as asked", Duration.ofSeconds(60));

    long group = build.process.pid();
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + group).inheritIO().start();
    assertThat(kill.waitFor()).isZero();

    if (!build.process.waitFor(10, TimeUnit.SECONDS)) {
      // Say where it is stuck before failing, and end it: a failed test leaves no process behind.
      Process dump = new ProcessBuilder("jstack", Long.toString(build.process.pid())).redirectErrorStream(true)
          .start();
      String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      build.process.destroyForcibly();
      plugins.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      Assertions.fail("the build did not end within 10 s of Ctrl-C; it printed:\n" + String.join("\n", build.all)
          + "\nits threads:\n" + threads);
    }
    for (long pid : plugins) {
      assertThat(Processes.awaitStopped(pid, Duration.ofSeconds(5))).as("plugin pid %d ended", pid).isTrue();
    }
    assertThat(temp.resolve("out/a.html")).doesNotExist();
    assertThat(Files.list(src).toList()).containsExactly(src.resolve("a.md"));
  }

  @Test
  void twoBuildsOfTheSameProjectAtOnceBothSucceedWithEveryPageRight() throws Exception {
    Path src = Files.createDirectories(temp.resolve("src"));
    int pages = 300;
    for (int i = 0; i < pages; i++) {
      Files.writeString(src.resolve("p" + i + ".md"), "Page " + i + " runs :tt:`cmd " + i + "`.\n");
    }
    String[] args = {src.toString(), temp.resolve("out").toString(), temp.resolve("work").toString(), "tt"};

    Build first = new Build(engineMain(List.of(), args));
    Build second = new Build(engineMain(List.of(), args));

    assertThat(first.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.process.exitValue()).as(String.join("\n", first.all)).isZero();
    assertThat(second.process.exitValue()).as(String.join("\n", second.all)).isZero();
    for (int i = 0; i < pages; i++) {
      assertThat(Files.readString(temp.resolve("out/p" + i + ".html")))
          .isEqualTo("<p>Page " + i + " runs <tt>cmd " + i + "</tt>.</p>\n");
    }
    try (var files = Files.list(temp.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".html")).toList())
          .as("no temporary file is left").isEmpty();
    }
    // Whichever build saved its state last, the state is whole: a third build has nothing to do.
    RenderSummary third = new Engine(new RecordingLog()).render(RenderRequest.builder(src, temp.resolve("out"),
        temp.resolve("work")).layout(new Layout.None()).plugin(TestPlugins.tt()).build());
    assertThat(third.rendered()).isZero();
    assertThat(third.upToDate()).isEqualTo(pages);
  }
}
