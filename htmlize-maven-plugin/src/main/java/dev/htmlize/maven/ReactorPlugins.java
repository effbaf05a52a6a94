package dev.htmlize.maven;

import dev.htmlize.engine.PluginPool;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * The plugin processes of one Maven build with several modules, which its modules share (see {@link PluginPool}): one
 * pool per build, in this class loader (the modules that use the same htmlize, with the same dependencies of the
 * plugin, share it). It ends when the build does: Maven tells its execution listener that the session ended, after the
 * last module, whether the build succeeded or failed, and this class puts a listener of its own in front of the
 * build's to hear it. A build stopped by a signal ends each process in its shutdown hook; one killed outright is
 * outlived by none, since every plugin exits once its host is gone.
 */
final class ReactorPlugins {
  /** The pools of running builds, by their request (one per build; -T gives each module a copy of the session). */
  private static final Map<MavenExecutionRequest, PluginPool> POOLS = new WeakHashMap<>();

  private ReactorPlugins() {
  }

  /** The pool of this session's build, if it has more than one module; the first module to ask makes it. */
  static Optional<PluginPool> of(MavenSession session, Log log) {
    MavenExecutionRequest request = session.getRequest();
    if (request == null || session.getProjects() == null || session.getProjects().size() < 2) {
      return Optional.empty();
    }
    synchronized (POOLS) {
      PluginPool pool = POOLS.get(request);
      if (pool == null) {
        pool = new PluginPool();
        request.setExecutionListener(new Ending(request.getExecutionListener(), request, pool, log));
        POOLS.put(request, pool);
      }
      return Optional.of(pool);
    }
  }

  /** Ends the pool's processes when the session ends, then passes the event on; every other event just passes. */
  private static final class Ending implements ExecutionListener {
    private final ExecutionListener next;
    private final MavenExecutionRequest request;
    private final PluginPool pool;
    private final Log log;

    Ending(ExecutionListener next, MavenExecutionRequest request, PluginPool pool, Log log) {
      this.next = next;
      this.request = request;
      this.pool = pool;
      this.log = log;
    }

    @Override
    public void sessionEnded(ExecutionEvent event) {
      try {
        synchronized (POOLS) {
          POOLS.remove(request);
        }
        boolean any = pool.size() > 0;
        pool.close();
        if (any) {
          log.debug("htmlize: the build ended; the plugin processes its modules shared are stopped");
        }
      } catch (RuntimeException e) {
        log.warn("htmlize: stopping the build's plugin processes: " + e);
      }
      if (next != null) {
        next.sessionEnded(event);
      }
    }

    @Override
    public void projectDiscoveryStarted(ExecutionEvent event) {
      if (next != null) {
        next.projectDiscoveryStarted(event);
      }
    }

    @Override
    public void sessionStarted(ExecutionEvent event) {
      if (next != null) {
        next.sessionStarted(event);
      }
    }

    @Override
    public void projectSkipped(ExecutionEvent event) {
      if (next != null) {
        next.projectSkipped(event);
      }
    }

    @Override
    public void projectStarted(ExecutionEvent event) {
      if (next != null) {
        next.projectStarted(event);
      }
    }

    @Override
    public void projectSucceeded(ExecutionEvent event) {
      if (next != null) {
        next.projectSucceeded(event);
      }
    }

    @Override
    public void projectFailed(ExecutionEvent event) {
      if (next != null) {
        next.projectFailed(event);
      }
    }

    @Override
    public void mojoSkipped(ExecutionEvent event) {
      if (next != null) {
        next.mojoSkipped(event);
      }
    }

    @Override
    public void mojoStarted(ExecutionEvent event) {
      if (next != null) {
        next.mojoStarted(event);
      }
    }

    @Override
    public void mojoSucceeded(ExecutionEvent event) {
      if (next != null) {
        next.mojoSucceeded(event);
      }
    }

    @Override
    public void mojoFailed(ExecutionEvent event) {
      if (next != null) {
        next.mojoFailed(event);
      }
    }

    @Override
    public void forkStarted(ExecutionEvent event) {
      if (next != null) {
        next.forkStarted(event);
      }
    }

    @Override
    public void forkSucceeded(ExecutionEvent event) {
      if (next != null) {
        next.forkSucceeded(event);
      }
    }

    @Override
    public void forkFailed(ExecutionEvent event) {
      if (next != null) {
        next.forkFailed(event);
      }
    }

    @Override
    public void forkedProjectStarted(ExecutionEvent event) {
      if (next != null) {
        next.forkedProjectStarted(event);
      }
    }

    @Override
    public void forkedProjectSucceeded(ExecutionEvent event) {
      if (next != null) {
        next.forkedProjectSucceeded(event);
      }
    }

    @Override
    public void forkedProjectFailed(ExecutionEvent event) {
      if (next != null) {
        next.forkedProjectFailed(event);
      }
    }
  }
}
