package dev.htmlize.plugin;

import dev.htmlize.goplugin.serve.Serve;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Loads a Java plugin's jar in a class loader of its own, in a JVM that htmlize runs already (a plugin JVM shared by
 * several plugins, or the build's own JVM), and gets its {@link Htmlizer} by running the plugin's {@code main}: the
 * {@link HtmlizerPlugin#serve} it calls hands the htmlizers over and returns instead of serving. The same jar runs as
 * its own process or loaded this way, unchanged.
 *
 * <p>The plugin's classes, and its dependencies' classes, come from its own class path first, so that its versions
 * of a library never meet another plugin's (nor the build's); the SDK's packages ({@code dev.htmlize.plugin},
 * {@code dev.htmlize.goplugin}, gRPC and protobuf, which the SDK's types are made of) come from the JVM's copy of the
 * SDK, so that the htmlizer it hands over is of the host's {@link Htmlizer} type.
 */
public final class PluginLoader {
  private static final ThreadLocal<Consumer<Htmlizer>> CAPTURE = new ThreadLocal<>();
  private static final List<String> SDK_PACKAGES =
      List.of("dev.htmlize.plugin.", "dev.htmlize.goplugin.", "io.grpc.", "com.google.protobuf.");

  private PluginLoader() {
  }

  /** A plugin loaded in this JVM: its htmlizer, and the class loader to close once it is no longer called. */
  public static final class Loaded implements AutoCloseable {
    private final Htmlizer htmlizer;
    private final URLClassLoader classLoader;

    private Loaded(Htmlizer htmlizer, URLClassLoader classLoader) {
      this.htmlizer = new InContext(htmlizer, this);
      this.classLoader = classLoader;
    }

    /** The plugin's htmlizer, each call made as by {@link #call}. */
    public Htmlizer htmlizer() {
      return htmlizer;
    }

    /**
     * Runs a call of the plugin's with its class loader as the thread's context class loader, as the plugin's own
     * process would have it (a {@code ServiceLoader} in the plugin's code finds the plugin's services).
     */
    public <T> T call(Supplier<T> call) {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(classLoader);
      try {
        return call.get();
      } finally {
        thread.setContextClassLoader(before);
      }
    }

    /** Closes the plugin's jars. */
    @Override
    public void close() {
      try {
        classLoader.close();
      } catch (IOException e) {
        // Only open files are at stake, and the JVM ends them at exit.
      }
    }
  }

  /** An htmlizer called with its plugin's class loader as the context class loader. */
  private record InContext(Htmlizer plugin, Loaded loaded) implements Htmlizer {
    @Override
    public List<String> hooks() {
      return loaded.call(plugin::hooks);
    }

    @Override
    public void configure(Map<String, String> properties, Site site) {
      loaded.call(() -> {
        plugin.configure(properties, site);
        return null;
      });
    }

    @Override
    public String processRole(String role, String value, Post post) {
      return loaded.call(() -> plugin.processRole(role, value, post));
    }

    @Override
    public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
      return loaded.call(() -> plugin.processRoles(post, roles));
    }

    @Override
    public String processContents(String html, Post post) {
      return loaded.call(() -> plugin.processContents(html, post));
    }
  }

  /** Why a plugin could not be loaded. */
  public static final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean servesItself;

    LoadException(String message, boolean servesItself, Throwable cause) {
      super(message, cause);
      this.servesItself = servesItself;
    }

    /**
     * Whether the plugin's {@code main} serves go-plugin's protocol without {@link HtmlizerPlugin#serve} (or returns
     * without calling it): such a plugin runs as its own process only.
     */
    public boolean servesItself() {
      return servesItself;
    }
  }

  /**
   * Loads the plugin and runs its {@code main} on this thread.
   *
   * @param name      names the class loader (in stack traces and heap dumps)
   * @param classPath the plugin's jar and its runtime dependencies
   * @param mainClass the class whose {@code main} calls {@link HtmlizerPlugin#serve}
   * @param args      {@code main}'s arguments
   */
  public static Loaded load(String name, List<Path> classPath, String mainClass, List<String> args)
      throws LoadException {
    URLClassLoader loader = new PluginClassLoader(name, classPath, PluginLoader.class.getClassLoader());
    AtomicReference<Htmlizer> handed = new AtomicReference<>();
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    Consumer<Htmlizer> previous = CAPTURE.get();
    thread.setContextClassLoader(loader);
    CAPTURE.set(handed::set);
    try {
      Method main = loader.loadClass(mainClass).getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers())) {
        throw new LoadException("the main method of " + mainClass + " is not static", false, null);
      }
      String[] arguments = args.toArray(String[]::new);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Serve.runAsGuest(() -> {
        try {
          main.invoke(null, (Object) arguments);
        } catch (InvocationTargetException e) {
          thrown.set(e.getCause());
        } catch (IllegalAccessException e) {
          thrown.set(e);
        }
      });
      Throwable failure = thrown.get();
      if (failure instanceof Serve.NotAGuest) {
        throw new LoadException(mainClass + ".main serves go-plugin's protocol itself, not through "
            + "HtmlizerPlugin.serve", true, null);
      }
      if (failure != null) {
        throw new LoadException(mainClass + ".main failed: " + failure, false, failure);
      }
      if (handed.get() == null) {
        throw new LoadException(mainClass + ".main returned without calling HtmlizerPlugin.serve", true, null);
      }
      return new Loaded(handed.get(), loader);
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      close(loader);
      throw new LoadException("cannot load " + mainClass + " from its class path: " + e, false, e);
    } catch (NoSuchMethodException e) {
      close(loader);
      throw new LoadException(mainClass + " has no public static void main(String[])", false, e);
    } catch (LoadException e) {
      close(loader);
      throw e;
    } catch (RuntimeException | LinkageError e) {
      close(loader);
      throw new LoadException("cannot load " + mainClass + ": " + e, false, e);
    } finally {
      if (previous == null) {
        CAPTURE.remove();
      } else {
        CAPTURE.set(previous);
      }
      thread.setContextClassLoader(before);
    }
  }

  /** Hands the htmlizer to the loader running this thread's plugin {@code main}, if any; whether there was one. */
  static boolean capture(Htmlizer htmlizer) {
    Consumer<Htmlizer> capture = CAPTURE.get();
    if (capture == null) {
      return false;
    }
    capture.accept(htmlizer);
    return true;
  }

  private static void close(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // As in Loaded.close.
    }
  }

  /** The plugin's class path first, but for the SDK's packages; then the SDK's loader for what the plugin lacks. */
  private static final class PluginClassLoader extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final ClassLoader sdk;

    PluginClassLoader(String name, List<Path> classPath, ClassLoader sdk) {
      super("htmlize-plugin-" + name, urls(classPath), ClassLoader.getPlatformClassLoader());
      this.sdk = sdk;
    }

    private static URL[] urls(List<Path> classPath) {
      List<URL> urls = new ArrayList<>();
      for (Path path : classPath) {
        try {
          urls.add(path.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException("not a class path entry: " + path, e);
        }
      }
      return urls.toArray(URL[]::new);
    }

    private static boolean isSdk(String name) {
      for (String prefix : SDK_PACKAGES) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null && isSdk(name)) {
          try {
            loaded = sdk.loadClass(name);
          } catch (ClassNotFoundException e) {
            // A class of the plugin's own in a package named like the SDK's, say: its own class path has it.
          }
        }
        if (loaded == null) {
          try {
            loaded = super.loadClass(name, false);
          } catch (ClassNotFoundException e) {
            loaded = sdk.loadClass(name);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = super.getResource(name);
      return own != null ? own : sdk.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Set<URL> all = new LinkedHashSet<>(Collections.list(super.getResources(name)));
      all.addAll(Collections.list(sdk.getResources(name)));
      return Collections.enumeration(all);
    }
  }
}
