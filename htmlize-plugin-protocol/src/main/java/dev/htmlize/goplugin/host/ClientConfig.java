package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.GoPluginEnv;
import dev.htmlize.goplugin.HandshakeConfig;
import dev.htmlize.goplugin.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a host launches and talks to one plugin: go-plugin's {@code ClientConfig}. Immutable; made with
 * {@link #builder(String, HandshakeConfig)}. Every default is stated on its builder method.
 */
public final class ClientConfig {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final String name;
  private final HandshakeConfig handshake;
  private final Set<Integer> protocolVersions;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final Duration startTimeout;
  private final Duration shutdownGrace;
  private final Duration callTimeout;
  private final boolean autoMtls;
  private final boolean allowPlaintextTcp;
  private final Network network;
  private final String sha256;
  private final Path socketParent;
  private final int minPort;
  private final int maxPort;
  private final PluginLogger logger;
  private final StdioSink stdio;

  private ClientConfig(Builder b) {
    this.name = b.name;
    this.handshake = b.handshake;
    this.protocolVersions = Set.copyOf(b.protocolVersions);
    this.command = List.copyOf(b.command);
    this.environment = Map.copyOf(b.environment);
    this.workingDirectory = b.workingDirectory;
    this.startTimeout = b.startTimeout;
    this.shutdownGrace = b.shutdownGrace;
    this.callTimeout = b.callTimeout;
    this.autoMtls = b.autoMtls;
    this.allowPlaintextTcp = b.allowPlaintextTcp;
    this.network = b.network;
    this.sha256 = b.sha256;
    this.socketParent = b.socketParent;
    this.minPort = b.minPort;
    this.maxPort = b.maxPort;
    this.logger = b.logger;
    this.stdio = b.stdio;
  }

  /**
   * A builder.
   *
   * @param name      how messages and logs name the plugin
   * @param handshake the magic cookie the plugin expects
   */
  public static Builder builder(String name, HandshakeConfig handshake) {
    return new Builder(name, handshake);
  }

  public String name() {
    return name;
  }

  public HandshakeConfig handshake() {
    return handshake;
  }

  public Set<Integer> protocolVersions() {
    return protocolVersions;
  }

  public List<String> command() {
    return command;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Optional<Path> workingDirectory() {
    return Optional.ofNullable(workingDirectory);
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public Optional<Duration> callTimeout() {
    return Optional.ofNullable(callTimeout);
  }

  public boolean autoMtls() {
    return autoMtls;
  }

  public boolean allowPlaintextTcp() {
    return allowPlaintextTcp;
  }

  public Optional<Network> network() {
    return Optional.ofNullable(network);
  }

  public Optional<String> sha256() {
    return Optional.ofNullable(sha256);
  }

  public Path socketParent() {
    return socketParent;
  }

  public int minPort() {
    return minPort;
  }

  public int maxPort() {
    return maxPort;
  }

  public PluginLogger logger() {
    return logger;
  }

  public StdioSink stdio() {
    return stdio;
  }

  /** Builds a {@link ClientConfig}. */
  public static final class Builder {
    private final String name;
    private final HandshakeConfig handshake;
    private Set<Integer> protocolVersions = new TreeSet<>(List.of(1));
    private List<String> command = List.of();
    private Map<String, String> environment = System.getenv();
    private Path workingDirectory;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration shutdownGrace = Duration.ofSeconds(2);
    private Duration callTimeout;
    private boolean autoMtls;
    private boolean allowPlaintextTcp;
    private Network network;
    private String sha256;
    private Path socketParent = Path.of(System.getProperty("java.io.tmpdir"));
    private int minPort = GoPluginEnv.DEFAULT_MIN_PORT;
    private int maxPort = GoPluginEnv.DEFAULT_MAX_PORT;
    private PluginLogger logger = PluginLogger.DISCARD;
    private StdioSink stdio = StdioSink.DISCARD;

    private Builder(String name, HandshakeConfig handshake) {
      this.name = Objects.requireNonNull(name, "name");
      this.handshake = Objects.requireNonNull(handshake, "handshake");
    }

    /** App protocol versions this host speaks. Default: {@code [1]}. */
    public Builder protocolVersions(Set<Integer> versions) {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("at least one protocol version");
      }
      this.protocolVersions = new TreeSet<>(versions);
      return this;
    }

    /** The program and its arguments. Required for {@link PluginClient#start}. */
    public Builder command(List<String> command) {
      this.command = new ArrayList<>(command);
      return this;
    }

    /**
     * The plugin's environment, to which the go-plugin variables are added (they win over entries of the same
     * name). Default: this JVM's whole environment, as go-plugin does.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The plugin's working directory. Default: this JVM's. */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    /** How long the plugin may take to print its handshake line. Default: 60 s (go-plugin's). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive(timeout, "startTimeout");
      return this;
    }

    /** How long the plugin may take to exit after {@code Shutdown} before it is killed. Default: 2 s. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = positive(grace, "shutdownGrace");
      return this;
    }

    /**
     * The deadline of an application call that sets none itself; a call that runs past it fails with
     * {@code DEADLINE_EXCEEDED}. Default: none.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = timeout == null ? null : positive(timeout, "callTimeout");
      return this;
    }

    /**
     * Whether to use go-plugin's AutoMTLS: pass the plugin a fresh certificate and require its own in the handshake.
     * Default: {@code false}, since unix sockets live in a private directory; turn it on for plugins that listen on
     * TCP.
     */
    public Builder autoMtls(boolean autoMtls) {
      this.autoMtls = autoMtls;
      return this;
    }

    /**
     * Whether a plugin may listen on plaintext TCP, where any local user could connect to it. Default:
     * {@code false}: such a plugin is refused unless {@link #autoMtls(boolean)} secures the connection.
     */
    public Builder allowPlaintextTcp(boolean allow) {
      this.allowPlaintextTcp = allow;
      return this;
    }

    /**
     * The network to ask the plugin to listen on ({@link GoPluginEnv#NETWORK}; plugins of this runtime honour it,
     * Go plugins ignore it). Default: none, the plugin decides (unix sockets where it can).
     */
    public Builder network(Network network) {
      this.network = network;
      return this;
    }

    /**
     * The expected SHA-256 of the executable, as 64 hex digits, checked just before launch. Default: no check.
     * For a command that starts an interpreter, this is the interpreter's digest, as in go-plugin.
     */
    public Builder sha256(String hex) {
      if (hex != null && !SHA256.matcher(hex.toLowerCase(Locale.ROOT)).matches()) {
        throw new IllegalArgumentException("sha256 must be 64 hex digits: " + hex);
      }
      this.sha256 = hex == null ? null : hex.toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Where the private (0700) directory for the plugin's unix sockets is made. Default: {@code java.io.tmpdir};
     * when that path is too long for a socket address, {@code /tmp}.
     */
    public Builder socketParent(Path directory) {
      this.socketParent = Objects.requireNonNull(directory);
      return this;
    }

    /** TCP port range for plugins that listen on TCP. Default: 10000 to 25000, as go-plugin. */
    public Builder portRange(int min, int max) {
      if (min < 0 || max > 65535 || min > max) {
        throw new IllegalArgumentException("bad port range " + min + ".." + max);
      }
      this.minPort = min;
      this.maxPort = max;
      return this;
    }

    /** Where the plugin's stderr log lines go. Default: nowhere. */
    public Builder logger(PluginLogger logger) {
      this.logger = Objects.requireNonNull(logger);
      return this;
    }

    /** Where the plugin's streamed stdout and stderr go. Default: nowhere. */
    public Builder stdio(StdioSink stdio) {
      this.stdio = Objects.requireNonNull(stdio);
      return this;
    }

    public ClientConfig build() {
      return new ClientConfig(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
