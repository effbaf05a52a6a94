package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.HandshakeConfig;
import dev.htmlize.goplugin.LogLevel;
import io.grpc.BindableService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How a plugin serves: go-plugin's {@code ServeConfig}. Immutable; made with {@link #builder(HandshakeConfig)}. Every
 * default is stated on its builder method.
 */
public final class ServeConfig {
  private final HandshakeConfig handshake;
  private final Map<Integer, Function<GrpcBroker, List<BindableService>>> plugins;
  private final boolean debug;
  private final Map<String, String> environment;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final String module;
  private final LogLevel logLevel;
  private final Duration parentPollInterval;
  private final List<io.grpc.ServerInterceptor> interceptors;

  private ServeConfig(Builder b) {
    this.handshake = b.handshake;
    this.plugins = Map.copyOf(b.plugins);
    this.debug = b.debug;
    this.environment = Map.copyOf(b.environment);
    this.stdout = b.stdout;
    this.stderr = b.stderr;
    this.module = b.module;
    this.logLevel = b.logLevel;
    this.parentPollInterval = b.parentPollInterval;
    this.interceptors = List.copyOf(b.interceptors);
  }

  /** Interceptors of every call the plugin's servers receive (see {@link Builder#intercept}). */
  public List<io.grpc.ServerInterceptor> interceptors() {
    return interceptors;
  }

  /** A builder; the handshake must match the host's. */
  public static Builder builder(HandshakeConfig handshake) {
    return new Builder(handshake);
  }

  public HandshakeConfig handshake() {
    return handshake;
  }

  /** The app protocol versions served, each with the factory of its services. */
  public Map<Integer, Function<GrpcBroker, List<BindableService>>> plugins() {
    return plugins;
  }

  public boolean debug() {
    return debug;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public PrintStream stdout() {
    return stdout;
  }

  public PrintStream stderr() {
    return stderr;
  }

  public String module() {
    return module;
  }

  public LogLevel logLevel() {
    return logLevel;
  }

  public Duration parentPollInterval() {
    return parentPollInterval;
  }

  Optional<String> env(String key) {
    return Optional.ofNullable(environment.get(key));
  }

  /** Builds a {@link ServeConfig}. */
  public static final class Builder {
    private final HandshakeConfig handshake;
    private final Map<Integer, Function<GrpcBroker, List<BindableService>>> plugins = new TreeMap<>();
    private boolean debug;
    private Map<String, String> environment = System.getenv();
    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;
    private String module = "";
    private LogLevel logLevel = LogLevel.DEBUG;
    private Duration parentPollInterval = Duration.ofMillis(250);
    private final List<io.grpc.ServerInterceptor> interceptors = new java.util.ArrayList<>();

    /** Sees every call the plugin receives, its own services' and go-plugin's (to tell when it is idle, say). */
    public Builder intercept(io.grpc.ServerInterceptor interceptor) {
      interceptors.add(java.util.Objects.requireNonNull(interceptor));
      return this;
    }

    private Builder(HandshakeConfig handshake) {
      this.handshake = Objects.requireNonNull(handshake);
    }

    /**
     * The services served under an app protocol version: every logical plugin of the set registers its services on
     * the one server (go-plugin's plugin name never goes on the wire). Required: at least one version.
     */
    public Builder plugins(int protocolVersion, BindableService... services) {
      if (protocolVersion < 1) {
        throw new IllegalArgumentException("protocol versions start at 1");
      }
      List<BindableService> list = List.copyOf(Arrays.asList(services));
      plugins.put(protocolVersion, broker -> list);
      return this;
    }

    /**
     * As {@link #plugins(int, BindableService...)}, for services that use the broker (go-plugin's
     * {@code GRPCServer(broker, server)}): to dial services the host offers, or to offer the host some of their own.
     * The factory is called once, with this plugin's broker, after the version is negotiated.
     */
    public Builder plugins(int protocolVersion, Function<GrpcBroker, List<BindableService>> services) {
      if (protocolVersion < 1) {
        throw new IllegalArgumentException("protocol versions start at 1");
      }
      plugins.put(protocolVersion, Objects.requireNonNull(services));
      return this;
    }

    /**
     * Debug mode, for running the plugin by hand under a debugger: no cookie check, the highest version, and instead
     * of the handshake line a one-line JSON {@linkplain dev.htmlize.goplugin.ReattachConfig reattach configuration}
     * on stdout (with {@code Test: true}, so that a host that reattaches leaves the plugin running). The plugin then
     * neither watches its parent nor ignores Ctrl-C, and stdout stays a terminal. Default: off.
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /** Turns {@link #debug(boolean)} on when the program's arguments contain {@code --debug}. */
    public Builder debugFromArgs(String... args) {
      return debug(Arrays.asList(args).contains("--debug"));
    }

    /** The environment to read the protocol's variables from. Default: the process's. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Where the handshake line goes. Default: {@code System.out} as it was when this builder was made. */
    public Builder stdout(PrintStream stdout) {
      this.stdout = Objects.requireNonNull(stdout);
      return this;
    }

    /** Where hclog JSON lines go. Default: {@code System.err} as it was when this builder was made. */
    public Builder stderr(PrintStream stderr) {
      this.stderr = Objects.requireNonNull(stderr);
      return this;
    }

    /** The {@code @module} of log lines. Default: none. */
    public Builder module(String module) {
      this.module = Objects.requireNonNull(module);
      return this;
    }

    /** Log lines below this level are not written. Default: debug. */
    public Builder logLevel(LogLevel level) {
      this.logLevel = Objects.requireNonNull(level);
      return this;
    }

    /** How often the plugin checks that its host (parent process) still runs. Default: 250 ms. */
    public Builder parentPollInterval(Duration interval) {
      this.parentPollInterval = Objects.requireNonNull(interval);
      return this;
    }

    public ServeConfig build() {
      if (plugins.isEmpty()) {
        throw new IllegalStateException("no plugins to serve");
      }
      return new ServeConfig(this);
    }
  }
}
