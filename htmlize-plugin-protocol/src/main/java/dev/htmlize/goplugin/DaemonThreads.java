package dev.htmlize.goplugin;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads, named for what they do: the runtime's readers, watchers and pools never keep a JVM alive on their
 * own (a host that forgot to close a plugin still exits; so does a plugin whose server stopped).
 */
public final class DaemonThreads {
  private DaemonThreads() {
  }

  /** Starts a daemon thread. */
  public static Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** A factory of daemon threads named {@code prefix1}, {@code prefix2}, and so on. */
  public static ThreadFactory factory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return work -> {
      Thread thread = new Thread(work, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
