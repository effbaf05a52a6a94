package dev.htmlize.plugin;

import dev.htmlize.goplugin.GrpcBroker;
import dev.htmlize.goplugin.LogLevel;
import dev.htmlize.goplugin.serve.HclogWriter;
import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One plugin process that serves several Java plugins: the {@code main} of the plugin JVM that htmlize shares among
 * the Java plugins of a build. It is one go-plugin plugin, with one handshake, one broker and one stdio stream; each
 * plugin it holds is loaded by a {@link PluginLoader} (its own class loader, its own {@code main}) on its first call,
 * and served as its own {@code htmlize.v1.Htmlizer}: a call says which one it is for in its
 * {@value #PLUGIN_HEADER} header, the plugin's index in the list the process was started with. Each plugin has its
 * own hooks, configuration and log name ({@code @module}).
 *
 * <p>A plugin that cannot be loaded answers every call {@code FAILED_PRECONDITION} with why; one whose {@code main}
 * serves go-plugin's protocol itself answers with a description that starts with {@value #NOT_SHAREABLE}, and the
 * host runs it in a process of its own.
 */
public final class SharedPlugins {
  /** The header that names the plugin a call is for: its index, from 0. */
  public static final String PLUGIN_HEADER = "htmlize-plugin";
  /** Starts the description of a call's error when the plugin cannot be served in a shared process. */
  public static final String NOT_SHAREABLE = "htmlize: not shareable: ";

  /**
   * Set in the environment of a plugin JVM kept between builds: how long it may be idle (no call in flight, none
   * for this long; an ISO-8601 duration such as {@code PT10M}) before it exits by itself. It then runs as go-plugin's
   * debug mode does: it prints its reattach configuration instead of the handshake line and outlives the process
   * that started it, and each build reattaches to it.
   */
  public static final String IDLE_TIMEOUT_VARIABLE = "HTMLIZE_PLUGIN_IDLE_TIMEOUT";

  private static final Metadata.Key<String> PLUGIN = Metadata.Key.of(PLUGIN_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private SharedPlugins() {
  }

  /** One plugin in the process: as it would run in its own, {@code java -cp CLASSPATH MAIN ARGS}. */
  public record Member(String name, List<Path> classPath, String mainClass, List<String> arguments) {
    public Member {
      classPath = List.copyOf(classPath);
      arguments = List.copyOf(arguments);
    }
  }

  /** Serves the plugins that the file {@link #write} wrote names; the process's only argument. Never returns. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SharedPlugins MEMBERS-FILE");
      System.exit(2);
    }
    List<Member> members = read(Path.of(args[0]));
    PrintStream stderr = System.err;
    String idle = System.getenv(IDLE_TIMEOUT_VARIABLE);
    Activity activity = new Activity();
    if (idle != null && !idle.isBlank()) {
      activity.exitWhenIdle(java.time.Duration.parse(idle.strip()), new HclogWriter(stderr, "", LogLevel.DEBUG));
    }
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, broker -> List.of(service(members, broker, stderr)))
        .intercept(activity)
        .debug(idle != null && !idle.isBlank())
        .build());
  }

  /**
   * The calls in flight (every call the process receives: a host's broker and stdio streams stay open while it is
   * attached) and the time of the last one's end, for a plugin JVM that exits when idle.
   */
  static final class Activity implements io.grpc.ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> received, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
      started();
      java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable finish = () -> {
        if (!ended.getAndSet(true)) {
          ended();
        }
      };
      ServerCall<Q, R> call = new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<Q, R>(received) {
        @Override
        public void close(Status status, Metadata trailers) {
          finish.run();
          super.close(status, trailers);
        }
      };
      ServerCall.Listener<Q> listener;
      try {
        listener = next.startCall(call, headers);
      } catch (RuntimeException e) {
        finish.run();
        throw e;
      }
      return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<Q>(listener) {
        @Override
        public void onCancel() {
          finish.run();
          super.onCancel();
        }

        @Override
        public void onComplete() {
          finish.run();
          super.onComplete();
        }
      };
    }

    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long lastNanos = System.nanoTime();

    void started() {
      inFlight.incrementAndGet();
      lastNanos = System.nanoTime();
    }

    void ended() {
      lastNanos = System.nanoTime();
      inFlight.decrementAndGet();
    }

    /** Exits the JVM (status 0, its sockets removed by the server's shutdown hook) once idle this long. */
    void exitWhenIdle(java.time.Duration timeout, HclogWriter log) {
      long limit = timeout.toNanos();
      Thread watch = new Thread(() -> {
        long tick = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        while (true) {
          try {
            Thread.sleep(tick);
          } catch (InterruptedException e) {
            return;
          }
          if (inFlight.get() == 0 && System.nanoTime() - lastNanos > limit) {
            log.info("idle for " + timeout + "; exiting");
            System.exit(0);
          }
        }
      }, "htmlize-idle-watch");
      watch.setDaemon(true);
      watch.start();
    }
  }

  /** Writes the plugins a process is to serve. */
  public static void write(Path file, List<Member> members) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("plugins", Integer.toString(members.size()));
    for (int i = 0; i < members.size(); i++) {
      Member member = members.get(i);
      String prefix = "plugin." + i + ".";
      properties.setProperty(prefix + "name", member.name());
      properties.setProperty(prefix + "main", member.mainClass());
      list(properties, prefix + "classpath", member.classPath().stream().map(Path::toString).toList());
      list(properties, prefix + "args", member.arguments());
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "plugins of one shared plugin JVM");
    }
  }

  /** Reads what {@link #write} wrote. */
  public static List<Member> read(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    int count = Integer.parseInt(properties.getProperty("plugins", "0"));
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String prefix = "plugin." + i + ".";
      members.add(new Member(properties.getProperty(prefix + "name"),
          list(properties, prefix + "classpath").stream().map(Path::of).toList(),
          properties.getProperty(prefix + "main"), list(properties, prefix + "args")));
    }
    return members;
  }

  private static void list(Properties properties, String key, List<String> values) {
    properties.setProperty(key + ".count", Integer.toString(values.size()));
    for (int i = 0; i < values.size(); i++) {
      properties.setProperty(key + "." + i, values.get(i));
    }
  }

  private static List<String> list(Properties properties, String key) {
    int count = Integer.parseInt(properties.getProperty(key + ".count", "0"));
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(properties.getProperty(key + "." + i));
    }
    return values;
  }

  /** {@code htmlize.v1.Htmlizer}, each call routed to the plugin its header names. */
  static BindableService service(List<Member> members, GrpcBroker broker, PrintStream stderr) {
    List<Guest> guests = members.stream().map(member -> new Guest(member, broker, stderr)).toList();
    return () -> {
      ServerServiceDefinition.Builder routed = ServerServiceDefinition.builder(HtmlizerGrpc.getServiceDescriptor());
      for (MethodDescriptor<?, ?> method : HtmlizerGrpc.getServiceDescriptor().getMethods()) {
        route(routed, method, guests);
      }
      return routed.build();
    };
  }

  private static <Q, R> void route(ServerServiceDefinition.Builder routed, MethodDescriptor<Q, R> method,
                                   List<Guest> guests) {
    routed.addMethod(method, (ServerCall<Q, R> call, Metadata headers) -> start(call, headers, method, guests));
  }

  private static <Q, R> ServerCall.Listener<Q> start(ServerCall<Q, R> call, Metadata headers,
                                                     MethodDescriptor<Q, R> method, List<Guest> guests) {
    String index = headers.get(PLUGIN);
    Guest guest = null;
    try {
      int i = index == null ? -1 : Integer.parseInt(index.strip());
      guest = i >= 0 && i < guests.size() ? guests.get(i) : null;
    } catch (NumberFormatException e) {
      // Named below.
    }
    if (guest == null) {
      return refuse(call, Status.NOT_FOUND.withDescription("this process serves " + guests.size()
          + " plugins; the " + PLUGIN_HEADER + " header names one by its index from 0, not " + index));
    }
    ServerServiceDefinition service;
    try {
      service = guest.service();
    } catch (PluginLoader.LoadException e) {
      return refuse(call, Status.FAILED_PRECONDITION.withDescription((e.servesItself() ? NOT_SHAREABLE : "")
          + "cannot load the plugin " + guest.member.name() + ": " + e.getMessage()));
    }
    @SuppressWarnings("unchecked")
    ServerMethodDefinition<Q, R> target =
        (ServerMethodDefinition<Q, R>) service.getMethod(method.getFullMethodName());
    ServerCallHandler<Q, R> handler = target.getServerCallHandler();
    return handler.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {
    };
  }

  /** One plugin of the process, loaded on its first call. */
  private static final class Guest {
    private final Member member;
    private final GrpcBroker broker;
    private final PrintStream stderr;
    private ServerServiceDefinition service;
    private PluginLoader.LoadException failure;

    Guest(Member member, GrpcBroker broker, PrintStream stderr) {
      this.member = member;
      this.broker = broker;
      this.stderr = stderr;
    }

    synchronized ServerServiceDefinition service() throws PluginLoader.LoadException {
      if (service == null && failure == null) {
        try {
          PluginLoader.Loaded loaded = PluginLoader.load(member.name(), member.classPath(), member.mainClass(),
              member.arguments());
          HclogWriter log = new HclogWriter(stderr, member.name(), LogLevel.DEBUG);
          service = new HtmlizerService(loaded.htmlizer(), log, broker).bindService();
        } catch (PluginLoader.LoadException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
      return service;
    }
  }
}
