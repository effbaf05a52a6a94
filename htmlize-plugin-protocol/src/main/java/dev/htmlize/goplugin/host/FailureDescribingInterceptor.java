package dev.htmlize.goplugin.host;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Gives every application call a default deadline and makes every failed call say which plugin failed and, when the
 * plugin process died, how (exit status, last stderr lines): a user reading "UNAVAILABLE: io exception" alone
 * cannot act on it. The status's cause is then the {@link PluginCallFailure}, with the parts.
 */
final class FailureDescribingInterceptor implements ClientInterceptor {
  private final Optional<Duration> callTimeout;
  private final Function<Status, PluginCallFailure> describer;

  FailureDescribingInterceptor(Optional<Duration> callTimeout, Function<Status, PluginCallFailure> describer) {
    this.callTimeout = callTimeout;
    this.describer = describer;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    CallOptions effective = options;
    if (options.getDeadline() == null && callTimeout.isPresent()) {
      effective = options.withDeadlineAfter(callTimeout.get().toNanos(), TimeUnit.NANOSECONDS);
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, effective)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            if (status.isOk()) {
              super.onClose(status, trailers);
              return;
            }
            PluginCallFailure failure = describer.apply(status);
            super.onClose(status.withDescription(failure.getMessage()).withCause(failure), trailers);
          }
        }, headers);
      }
    };
  }
}
