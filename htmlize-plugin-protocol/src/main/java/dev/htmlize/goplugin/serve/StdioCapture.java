package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.DaemonThreads;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.htmlize.goplugin.proto.GRPCStdioGrpc;
import dev.htmlize.goplugin.proto.StdioData;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@code plugin.GRPCStdio}: what the plugin writes to {@code System.out} and {@code System.err} after the handshake
 * goes to the host in {@code StdioData} chunks, unchanged. One daemon thread hands chunks over in write order and
 * respects the stream's flow control, so a plugin that floods its output slows down instead of filling memory.
 * While no host has the stream open (go-plugin hosts before 1.1.0 never open it), chunks go to the process's original
 * stdout and stderr, which hosts drain; so nothing blocks forever and nothing is lost.
 */
final class StdioCapture extends GRPCStdioGrpc.GRPCStdioImplBase {
  private static final int CHUNK = 32 * 1024;

  private final PrintStream originalOut;
  private final PrintStream originalErr;
  private final BlockingQueue<StdioData> queue = new ArrayBlockingQueue<>(64);
  private final Object lock = new Object();
  private ServerCallStreamObserver<StdioData> subscriber;
  private boolean subscribed;
  private int pending;

  StdioCapture(PrintStream originalOut, PrintStream originalErr) {
    this.originalOut = originalOut;
    this.originalErr = originalErr;
    DaemonThreads.start("plugin-stdio", this::drain);
  }

  /** A stream whose bytes go to the host as stdout chunks. */
  PrintStream stdout() {
    return new PrintStream(new ChannelStream(StdioData.Channel.STDOUT), true, StandardCharsets.UTF_8);
  }

  /** A stream whose bytes go to the host as stderr chunks. */
  PrintStream stderr() {
    return new PrintStream(new ChannelStream(StdioData.Channel.STDERR), true, StandardCharsets.UTF_8);
  }

  @Override
  public void streamStdio(Empty request, StreamObserver<StdioData> observer) {
    ServerCallStreamObserver<StdioData> call = (ServerCallStreamObserver<StdioData>) observer;
    synchronized (lock) {
      if (subscribed) {
        call.onError(Status.FAILED_PRECONDITION.withDescription("stdio is already being streamed").asException());
        return;
      }
      subscribed = true;
      subscriber = call;
      call.setOnCancelHandler(() -> detach(call));
      call.setOnReadyHandler(() -> {
        synchronized (lock) {
          lock.notifyAll();
        }
      });
    }
  }

  private void detach(ServerCallStreamObserver<StdioData> call) {
    synchronized (lock) {
      if (subscriber == call) {
        subscriber = null;
      }
      lock.notifyAll();
    }
  }

  private void drain() {
    while (true) {
      StdioData chunk;
      try {
        chunk = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      deliver(chunk);
      synchronized (lock) {
        pending--;
        lock.notifyAll();
      }
    }
  }

  private void deliver(StdioData chunk) {
    synchronized (lock) {
      while (subscriber != null && !subscriber.isReady()) {
        try {
          lock.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (subscriber != null) {
        try {
          subscriber.onNext(chunk);
          return;
        } catch (RuntimeException e) {
          subscriber = null;
        }
      }
    }
    PrintStream original = chunk.getChannel() == StdioData.Channel.STDOUT ? originalOut : originalErr;
    original.write(chunk.getData().toByteArray(), 0, chunk.getData().size());
    original.flush();
  }

  /** Waits until what was written is handed over (or the timeout passes), for an orderly exit. */
  void flush(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (lock) {
      long left;
      while (pending > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private final class ChannelStream extends OutputStream {
    private final StdioData.Channel channel;

    ChannelStream(StdioData.Channel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      for (int start = offset; start < offset + length; start += CHUNK) {
        int size = Math.min(CHUNK, offset + length - start);
        StdioData chunk = StdioData.newBuilder()
            .setChannel(channel)
            .setData(ByteString.copyFrom(bytes, start, size))
            .build();
        synchronized (lock) {
          pending++;
        }
        try {
          queue.put(chunk);
        } catch (InterruptedException e) {
          synchronized (lock) {
            pending--;
          }
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
