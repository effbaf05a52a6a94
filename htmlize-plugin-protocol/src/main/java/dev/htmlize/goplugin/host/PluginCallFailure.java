package dev.htmlize.goplugin.host;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a failed application call says about its plugin: the plugin's name and pid, the call's status code, and what
 * went wrong (the status's description, the causes on this side, and how the plugin died if it did). Every failed
 * call on a {@link PluginClient}'s channel carries one as the cause of its {@link Status}, whose description is this
 * failure's message, {@code plugin NAME (pid N): DETAIL}; a host that words its own report takes the parts.
 */
public final class PluginCallFailure extends RuntimeException {
  private final String plugin;
  private final OptionalLong pid;
  private final Status.Code code;
  private final String detail;

  PluginCallFailure(String plugin, OptionalLong pid, Status.Code code, String detail, Throwable cause) {
    super("plugin " + plugin + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "") + ": " + detail, cause,
        false, false);
    this.plugin = Objects.requireNonNull(plugin);
    this.pid = pid;
    this.code = Objects.requireNonNull(code);
    this.detail = Objects.requireNonNull(detail);
  }

  /** The failure a call's exception carries, if it came from a plugin's channel. */
  public static Optional<PluginCallFailure> of(StatusRuntimeException e) {
    return e.getStatus().getCause() instanceof PluginCallFailure failure ? Optional.of(failure) : Optional.empty();
  }

  public String plugin() {
    return plugin;
  }

  /** The plugin process's id, if known. */
  public OptionalLong pid() {
    return pid;
  }

  public Status.Code code() {
    return code;
  }

  /** What went wrong, without the plugin's name: {@code CODE: description[: cause][; how the plugin died]}. */
  public String detail() {
    return detail;
  }
}
