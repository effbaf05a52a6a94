package dev.htmlize.goplugin;

/** The environment variables of go-plugin's protocol, and the defaults go-plugin hosts use. */
public final class GoPluginEnv {
  /** App protocol versions the host accepts, decimals joined by {@code ,} in no set order. */
  public static final String PROTOCOL_VERSIONS = "PLUGIN_PROTOCOL_VERSIONS";
  /** Lowest TCP port a plugin may listen on. */
  public static final String MIN_PORT = "PLUGIN_MIN_PORT";
  /** Highest TCP port a plugin may listen on. */
  public static final String MAX_PORT = "PLUGIN_MAX_PORT";
  /** The host's certificate as PEM; its presence turns AutoMTLS on in the plugin. */
  public static final String CLIENT_CERT = "PLUGIN_CLIENT_CERT";
  /** Set by hosts that want the broker multiplexed over yamux; this implementation never sets it. */
  public static final String MULTIPLEX_GRPC = "PLUGIN_MULTIPLEX_GRPC";
  /** Directory in which the plugin creates its unix sockets (go-plugin 1.5.0 and later). */
  public static final String UNIX_SOCKET_DIR = "PLUGIN_UNIX_SOCKET_DIR";
  /** Group (name or gid) that the plugin gives its unix sockets, which then get mode 0660. */
  public static final String UNIX_SOCKET_GROUP = "PLUGIN_UNIX_SOCKET_GROUP";
  /**
   * Not part of go-plugin: {@code unix} or {@code tcp}, the network a host asks a plugin of this runtime to
   * listen on. Go plugins ignore it (they use unix sockets everywhere but on Windows).
   */
  public static final String NETWORK = "PLUGIN_NETWORK";
  /**
   * Not part of go-plugin: the host's process id, so that a plugin can watch its host from its first instruction
   * (see {@link ProcessIdentity}). A plugin without it watches its parent process as it finds it.
   */
  public static final String HOST_PID = "PLUGIN_HOST_PID";
  /**
   * Not part of go-plugin: the host's start time, field 22 of {@code /proc/PID/stat} (clock ticks since boot), where
   * the host's system has {@code /proc}: with {@link #HOST_PID}, it tells the host from a later process that was given
   * the same pid.
   */
  public static final String HOST_START = "PLUGIN_HOST_START";

  /** go-plugin's default for {@link #MIN_PORT}. */
  public static final int DEFAULT_MIN_PORT = 10000;
  /** go-plugin's default for {@link #MAX_PORT}. */
  public static final int DEFAULT_MAX_PORT = 25000;
  /** The health-check service name whose status a ping asks for. */
  public static final String HEALTH_SERVICE = "plugin";
  /** The only core protocol version there is. */
  public static final int CORE_PROTOCOL_VERSION = 1;

  private GoPluginEnv() {
  }
}
