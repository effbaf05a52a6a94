package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.Sha256;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The command line of a plugin that runs on a JVM: {@code java <options> @<argfile> <main class> <args>}, with the
 * class path in an argument file (no length limit) and the JVM options that keep stdout clean for the handshake; and
 * how long the JVM may need to exit after {@code Shutdown}, for the host's {@link ClientConfig.Builder#shutdownGrace}.
 *
 * @param command       the program and its arguments
 * @param shutdownGrace longer than the host's default when this launch dumps a class-data sharing archive at exit
 *                      (which takes a second or more); else empty
 */
public record JavaCommand(List<String> command, Optional<Duration> shutdownGrace) {
  /** Enough for a JVM that writes its class-data sharing archive at exit, on a slow machine. */
  public static final Duration DUMP_SHUTDOWN_GRACE = Duration.ofSeconds(15);

  /**
   * JDK 17 prints unified-logging warnings and VM warnings on stdout before {@code main} runs, which would corrupt
   * the handshake line. These options send them to stderr; {@code -Xlog:all=warning:stderr} alone is not enough.
   */
  public static final List<String> CLEAN_STDOUT_OPTIONS =
      List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-XX:+DisplayVMOutputToStderr");

  /**
   * Options for a small JVM that starts fast: plugins are short-lived and mostly idle, so the C1 compiler alone and
   * the serial collector cost little and save start-up time and memory, and a heap that starts at 8 MB and stops at
   * 64 MB keeps an idle plugin near 60 MB resident (the JVM's default would size it from the machine's memory), and
   * no performance-data file is written at each start (only {@code jps} and {@code jstat} read it). A
   * plugin that needs more heap (huge pages through a contents hook) sets {@code -Xmx} in its JVM options.
   */
  public static final List<String> SMALL_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:-UsePerfData");

  public JavaCommand {
    command = List.copyOf(command);
    Objects.requireNonNull(shutdownGrace);
  }

  /** The {@code java} launcher of the JVM this code runs on. */
  public static Path currentJava() {
    String exe = System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
    return Path.of(System.getProperty("java.home"), "bin", exe);
  }

  /**
   * Builds the command and writes its argument file.
   *
   * @param java       the {@code java} launcher
   * @param jvmOptions options after the clean-stdout and small-JVM ones (so they can override them)
   * @param classPath  the plugin's jar first, then its dependencies
   * @param mainClass  the class whose {@code main} serves the plugin
   * @param args       the program's arguments
   * @param argFileDir where to write the argument file; its name is a digest of its content, so equal class paths
   *                   share one file
   * @param cdsDirectory where class-data sharing archives are cached (see {@link ClassDataSharing}); empty for none
   */
  public static JavaCommand build(Path java, List<String> jvmOptions, List<Path> classPath, String mainClass,
                                  List<String> args, Path argFileDir, Optional<Path> cdsDirectory) throws IOException {
    return build(java, jvmOptions, classPath, mainClass, args, argFileDir, cdsDirectory,
        ClassDataSharing.DEFAULT_MAX_BYTES);
  }

  /** As {@link #build(Path, List, List, String, List, Path, Optional)}, with the archives kept under this size. */
  public static JavaCommand build(Path java, List<String> jvmOptions, List<Path> classPath, String mainClass,
                                  List<String> args, Path argFileDir, Optional<Path> cdsDirectory,
                                  long cdsMaxBytes) throws IOException {
    String content = "-cp " + quote(classPath.stream().map(Path::toString)
        .collect(Collectors.joining(File.pathSeparator))) + "\n";
    Files.createDirectories(argFileDir);
    Path argFile = argFileDir.resolve("classpath-" + Sha256.hex(content).substring(0, 16) + ".args");
    if (!Files.exists(argFile)) {
      Path temp = Files.createTempFile(argFileDir, "classpath-", ".tmp");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, argFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(CLEAN_STDOUT_OPTIONS);
    command.addAll(SMALL_JVM_OPTIONS);
    boolean dumps = false;
    if (cdsDirectory.isPresent()) {
      List<String> options = new ArrayList<>(SMALL_JVM_OPTIONS);
      options.addAll(jvmOptions);
      ClassDataSharing.Options archive = ClassDataSharing.options(java, options, classPath, mainClass,
          cdsDirectory.get(), cdsMaxBytes);
      command.addAll(archive.options());
      dumps = archive.dumpsAtExit();
    }
    command.addAll(jvmOptions);
    command.add("@" + argFile);
    command.add(mainClass);
    command.addAll(args);
    return new JavaCommand(command, dumps ? Optional.of(DUMP_SHUTDOWN_GRACE) : Optional.empty());
  }

  /** Quotes an argument-file token: backslash and double quote are the escapes inside double quotes. */
  private static String quote(String token) {
    return '"' + token.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
