package dev.htmlize.engine;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.htmlize.goplugin.ReattachConfig;
import dev.htmlize.goplugin.Sha256;
import dev.htmlize.goplugin.host.ClientConfig;
import dev.htmlize.goplugin.host.PluginClient;
import dev.htmlize.goplugin.host.PluginLogger;
import dev.htmlize.goplugin.host.PluginStartException;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.SharedPlugins;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shared plugin JVMs kept running between builds ({@code keepAlive}). Each is registered in a per-user {@code 0700}
 * directory as {@code KEY-N.json}: its reattach configuration (address, pid), its process's start time, and the
 * plugins in it; {@code KEY} is a digest of everything that makes the JVM what it is (the {@code java} launcher, the
 * JVM options, the SDK's class path, the environment, and each plugin's name, jars by content, main class and
 * arguments), so a changed plugin gets a new JVM. A build that uses a kept JVM holds a lock on its file: another build
 * at the same time launches one of its own ({@code KEY-1.json}), and a build killed meanwhile loses the lock with its
 * process. A build reattaches only to a JVM whose pid runs with the recorded start time and answers a ping; anything
 * stale is ended and removed. A kept JVM runs as go-plugin's debug mode does (it outlives the build that started it)
 * and exits by itself once idle for the {@code keepAlive} time; {@link #stopAll} ends them all.
 */
public final class KeptPlugins {
  /** System property naming the registry directory, for tests and for users who want it elsewhere. */
  public static final String DIRECTORY_PROPERTY = "htmlize.keepAlive.directory";

  /**
   * How far two readings of one process's start time may differ: on Linux it is computed from the boot time, which
   * has a resolution of a second and moves when the clock is stepped.
   */
  private static final long START_TOLERANCE_MILLIS = 2000;
  /** The registry's entries: {@code KEY-N.json}, KEY 32 hex digits. */
  private static final String ENTRY_GLOB = "[0-9a-f]*-[0-9]*.json";

  private KeptPlugins() {
  }

  /**
   * Where kept plugin JVMs are registered: {@value #DIRECTORY_PROPERTY} if set, else
   * {@code $XDG_CACHE_HOME/htmlize/kept}, else {@code ~/.cache/htmlize/kept}.
   */
  public static Path defaultDirectory() {
    String property = System.getProperty(DIRECTORY_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property.strip());
    }
    return dev.htmlize.plugin.PluginJvms.cacheDirectory().resolve("kept");
  }

  /**
   * A duration as users write it: {@code 30s}, {@code 10m}, {@code 2h}, or ISO-8601 ({@code PT10M}).
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static Duration parseDuration(String text) {
    String value = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (value.startsWith("pt")) {
        return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
      }
      long number = Long.parseLong(value.substring(0, value.length() - 1));
      return switch (value.charAt(value.length() - 1)) {
        case 's' -> Duration.ofSeconds(number);
        case 'm' -> Duration.ofMinutes(number);
        case 'h' -> Duration.ofHours(number);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a duration such as 30s, 10m or 2h, not " + text, e);
    }
  }

  /** A kept plugin JVM this build uses, and the lock on its entry, until {@link #release}. */
  static final class Lease {
    private final PluginClient client;
    private final Slot slot;

    private Lease(PluginClient client, Slot slot) {
      this.client = client;
      this.slot = slot;
    }

    PluginClient client() {
      return client;
    }

    /** Leaves the JVM running for the next build and gives up this build's hold on it. */
    void release() {
      client.close();
      try {
        slot.close();
      } catch (IOException e) {
        // The lock goes with the channel, or with this process.
      }
    }
  }

  /** Each file with its size and modification time: a re-installed SDK snapshot makes another key. */
  private static String stamps(List<Path> files) {
    StringBuilder out = new StringBuilder();
    for (Path file : files) {
      out.append(file).append('|');
      try {
        out.append(Files.size(file)).append('|').append(Files.getLastModifiedTime(file).toMillis());
      } catch (IOException e) {
        out.append("unreadable");
      }
      out.append(';');
    }
    return out.toString();
  }

  /** The registry key of a shared plugin JVM. */
  static String key(List<PluginSpec> members, Map<String, String> environment) {
    StringBuilder text = new StringBuilder("kept-plugin-jvm-1\n");
    JavaPlugin first = members.get(0).java().orElseThrow();
    text.append(members.get(0).command().get(0)).append('\n').append(first.jvmOptions()).append('\n')
        .append(stamps(first.sdkClassPath())).append('\n').append(new TreeMap<>(environment)).append('\n');
    for (PluginSpec member : members) {
      JavaPlugin java = member.java().orElseThrow();
      text.append(member.name()).append('\u0000').append(member.fingerprint()).append('\u0000')
          .append(java.classPath()).append('\u0000').append(java.mainClass()).append('\u0000')
          .append(java.arguments()).append('\n');
    }
    return Sha256.hex(text.toString()).substring(0, 32);
  }

  /**
   * A running JVM for these plugins, reattached or launched and registered.
   *
   * @param command     the JVM's command line
   * @param environment its environment (the idle timeout is added)
   * @param config      the client configuration to reattach with (its command is not used)
   */
  static Lease acquire(List<PluginSpec> members, List<String> command, Map<String, String> environment,
                       ClientConfig config, RenderRequest.KeepAlive keep, EngineLog log) throws PluginStartException {
    String name = config.name();
    String key = key(members, environment);
    try {
      Path directory = directory(keep.directory());
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, key + "-*.json")) {
        files.forEach(entries::add);
      }
      entries.sort(null);
      // Entries are never deleted, only emptied under their lock: a free slot is an empty entry.
      Slot free = null;
      for (Path entry : entries) {
        Slot slot = Slot.tryLock(entry);
        if (slot == null) {
          continue;
        }
        Optional<Lease> lease = tryReattach(slot, config, log);
        if (lease.isPresent()) {
          if (free != null) {
            free.close();
          }
          return lease.get();
        }
        if (free == null) {
          free = slot;
        } else {
          slot.close();
        }
      }
      for (int n = 0; free == null; n++) {
        Path entry = directory.resolve(key + "-" + n + ".json");
        try {
          Files.newByteChannel(entry, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (java.nio.file.FileAlreadyExistsException e) {
          continue;
        }
        free = Slot.tryLock(entry);
      }
      try {
        return launch(free, members, command, environment, config, keep, log);
      } catch (PluginStartException | IOException | RuntimeException e) {
        free.channel.truncate(0);
        free.close();
        throw e;
      }
    } catch (IOException e) {
      throw new PluginStartException(name, "cannot keep it between builds: " + e.getMessage(), e);
    }
  }

  /** A registry entry this build holds the lock of. */
  private record Slot(Path entry, FileChannel channel, FileLock lock) {
    /** The entry, locked, or {@code null} if another build holds it or it is gone. */
    static Slot tryLock(Path entry) throws IOException {
      FileChannel channel;
      try {
        channel = FileChannel.open(entry, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      }
      FileLock lock = KeptPlugins.lock(channel);
      if (lock == null) {
        channel.close();
        return null;
      }
      return new Slot(entry, channel, lock);
    }

    void close() throws IOException {
      lock.release();
      channel.close();
    }
  }

  private static Path directory(Path directory) throws IOException {
    Files.createDirectories(directory);
    try {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own permissions apply.
    }
    return directory;
  }

  private static FileLock lock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held by another build in this JVM.
      return null;
    }
  }

  /** The JVM a locked entry names, if it is alive and answers; else the entry is emptied (its process ended). */
  private static Optional<Lease> tryReattach(Slot slot, ClientConfig config, EngineLog log) throws IOException {
    Optional<Kept> kept = read(slot.channel());
    if (kept.isPresent() && kept.get().running() && kept.get().reattach() != null) {
      try {
        PluginClient client = PluginClient.reattach(kept.get().reattach(), config);
        try {
          client.ping(config.startTimeout());
          log.debug("htmlize: " + config.name() + " is the kept one (pid " + kept.get().pid() + ")");
          return Optional.of(new Lease(client, slot));
        } catch (RuntimeException e) {
          client.close();
          log.debug("htmlize: the kept " + config.name() + " (pid " + kept.get().pid() + ") does not answer ("
              + e.getMessage() + "); it is ended and launched anew");
        }
      } catch (PluginStartException e) {
        log.debug("htmlize: cannot reattach to the kept " + config.name() + ": " + e.getMessage());
      }
    }
    kept.ifPresent(Kept::end);
    slot.channel().truncate(0);
    Files.deleteIfExists(errorLog(slot.entry()));
    return Optional.empty();
  }

  /**
   * A registered JVM: its reattach configuration is {@code null} while it is starting (or when the build that launched
   * it was killed before reading it), and the pid and start time say which process to end.
   */
  private record Kept(ReattachConfig reattach, long pid, long startMillis, String plugins) {
    /** Whether its pid runs the process that was registered (not another that got the pid since). */
    boolean running() {
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .flatMap(process -> process.info().startInstant())
          .map(start -> Math.abs(start.toEpochMilli() - startMillis) <= START_TOLERANCE_MILLIS).orElse(false);
    }

    /** Ends it, if it is still the registered process. */
    void end() {
      if (running()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static Optional<Kept> read(FileChannel channel) {
    try {
      long size = channel.size();
      if (size == 0 || size > 1 << 16) {
        return Optional.empty();
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
        // Reads the whole file.
      }
      JsonObject json = JsonParser.parseString(new String(buffer.array(), StandardCharsets.UTF_8))
          .getAsJsonObject();
      return Optional.of(new Kept(json.has("reattach")
          ? ReattachConfig.fromJson(json.get("reattach").getAsString()) : null, json.get("pid").getAsLong(),
          json.get("start").getAsLong(), json.get("plugins").getAsString()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Path errorLog(Path entry) {
    String name = entry.getFileName().toString();
    return entry.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".err");
  }

  /** Launches the JVM in kept mode, reads its reattach configuration, registers it and reattaches to it. */
  private static Lease launch(Slot slot, List<PluginSpec> members, List<String> command,
                              Map<String, String> environment, ClientConfig config, RenderRequest.KeepAlive keep,
                              EngineLog log) throws PluginStartException, IOException {
    Path entry = slot.entry();
    FileChannel channel = slot.channel();
    List<String> line = new ArrayList<>();
    // In a session of its own, so that a Ctrl-C meant for the build that started it does not end it too.
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      line.add(setsid.toString());
    }
    line.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.from(devNull()))
        .redirectError(errorLog(entry).toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.environment().put(SharedPlugins.IDLE_TIMEOUT_VARIABLE, keep.idle().toString());
    Process process = builder.start();
    long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    String plugins = String.join(", ", members.stream().map(PluginSpec::name).toList());
    // Registered at once, so that a build killed before the next step leaves a JVM that htmlize:stop can end.
    try {
      register(channel, null, process.pid(), start, plugins, keep);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    String first;
    try {
      first = firstLine(process.getInputStream(), config.startTimeout());
    } catch (IOException | TimeoutException e) {
      process.destroyForcibly();
      throw new PluginStartException(config.name(), "did not print its reattach configuration within "
          + config.startTimeout().toSeconds() + " s (" + e.getMessage() + "); see " + errorLog(entry), e);
    }
    ReattachConfig reattach;
    try {
      reattach = ReattachConfig.fromJson(first);
    } catch (IllegalArgumentException e) {
      process.destroyForcibly();
      throw new PluginStartException(config.name(), "printed no reattach configuration but \"" + first + "\"; see "
          + errorLog(entry), e);
    }
    // The rest of its stdout is drained while this JVM lives; then writes to it fail, as they would to a terminal
    // that closed.
    Thread drain = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        // Gone.
      }
    }, "htmlize-kept-stdout");
    drain.setDaemon(true);
    drain.start();
    PluginClient client;
    try {
      register(channel, reattach, process.pid(), start, plugins, keep);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    try {
      client = PluginClient.reattach(reattach, config);
    } catch (PluginStartException e) {
      process.destroyForcibly();
      throw e;
    }
    log.debug("htmlize: " + config.name() + " started (pid " + process.pid() + "); kept for " + keep.idle()
        + " when idle");
    return new Lease(client, slot);
  }

  private static void register(FileChannel channel, ReattachConfig reattach, long pid, long start, String plugins,
                               RenderRequest.KeepAlive keep) throws IOException {
    JsonObject json = new JsonObject();
    if (reattach != null) {
      json.addProperty("reattach", reattach.toJson());
    }
    json.addProperty("pid", pid);
    json.addProperty("start", start);
    json.addProperty("plugins", plugins);
    json.addProperty("idle", keep.idle().toString());
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
  }

  private static java.io.File devNull() {
    return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String firstLine(InputStream stdout, Duration timeout) throws IOException, TimeoutException {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        String read = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8)).readLine();
        if (read == null) {
          throw new java.io.UncheckedIOException(new IOException("it exited first"));
        }
        return read;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, command -> {
      Thread thread = new Thread(command, "htmlize-kept-start");
      thread.setDaemon(true);
      thread.start();
    });
    try {
      return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Ends every kept plugin JVM registered in the directory that no build is using (Shutdown, then a kill if it does
   * not exit), and removes the entries of those that are gone.
   *
   * @return how many JVMs it ended
   */
  public static int stopAll(Path directory, EngineLog log) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ENTRY_GLOB)) {
      files.forEach(entries::add);
    }
    int stopped = 0;
    for (Path entry : entries) {
      FileChannel channel;
      try {
        channel = FileChannel.open(entry, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (java.nio.file.NoSuchFileException e) {
        continue;
      }
      try (channel) {
        FileLock lock = lock(channel);
        Optional<Kept> kept = read(channel);
        if (lock == null) {
          log.info("htmlize: the kept plugin JVM of " + kept.map(Kept::plugins).orElse("some plugins")
              + " is in use by a build; it is left running");
          continue;
        }
        if (kept.isPresent() && kept.get().running()) {
          ReattachConfig end = kept.get().reattach();
          if (end != null) {
            ReattachConfig notTest = new ReattachConfig(end.protocol(), end.protocolVersion(), end.network(),
                end.address(), end.pid(), false);
            try {
              PluginClient.reattach(notTest, ClientConfig.builder("plugins " + kept.get().plugins(),
                  HtmlizeProtocol.HANDSHAKE).protocolVersions(Set.of(HtmlizeProtocol.PROTOCOL_VERSION))
                  .logger(PluginLogger.DISCARD).build()).close();
            } catch (PluginStartException e) {
              log.debug("htmlize: cannot reach the kept plugin JVM (pid " + end.pid() + "): " + e.getMessage());
            }
          }
          Optional<ProcessHandle> process = ProcessHandle.of(kept.get().pid());
          if (process.isPresent() && kept.get().running()) {
            try {
              process.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
              kept.get().end();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              kept.get().end();
            }
          }
          stopped++;
          log.info("htmlize: stopped the kept plugin JVM of " + kept.get().plugins() + " (pid " + kept.get().pid()
              + ")");
        }
        if (kept.isPresent()) {
          channel.truncate(0);
          Files.deleteIfExists(errorLog(entry));
        }
        lock.release();
      }
    }
    return stopped;
  }
}
