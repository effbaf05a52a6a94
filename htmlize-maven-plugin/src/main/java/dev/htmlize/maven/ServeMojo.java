package dev.htmlize.maven;

import dev.htmlize.engine.LiveSite;
import dev.htmlize.engine.RenderRequest;
import dev.htmlize.serve.Preview;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Serves the site for preview, and renders it again on every change: renders what is stale, serves the output
 * directory over HTTP on {@code 127.0.0.1}, watches the sources and layouts, renders what a change touches with the
 * plugins kept running, and reloads the browser tabs that show a changed page. Runs until Ctrl-C. It takes the
 * configuration of {@code render} (configure the plugin, not one execution, or name it: {@code htmlize:serve@ID}),
 * and shares the render execution's state, so a page already rendered is not rendered again. The files it writes
 * are those {@code render} writes; the reload script is added only to pages as served.
 */
@Mojo(name = "serve", threadSafe = true, requiresDirectInvocation = true)
public class ServeMojo extends RenderMojo {
  /** The port to serve on; 0 picks a free one. */
  @Parameter(property = "htmlize.port", defaultValue = "8150")
  int port;

  /** The address to listen on; anything but the loopback address makes the preview reachable from other machines. */
  @Parameter(property = "htmlize.host", defaultValue = "127.0.0.1")
  String host;

  @Override
  public void execute() throws MojoExecutionException {
    if (skip) {
      getLog().info("htmlize: skipped");
      return;
    }
    warnIfNotLoopback();
    RenderRequest request = request(workDirectory());
    LiveSite site = new LiveSite(request, engineLog());
    List<Path> watched = new ArrayList<>(List.of(request.sourceDirectory(), request.layoutDirectory()));
    if (request.layout() instanceof dev.htmlize.engine.Layout.Template template) {
      watched.add(template.file().getParent());
    }
    Preview preview;
    try {
      preview = Preview.start(site, watched, host, port, engineLog());
    } catch (BindException e) {
      site.close();
      throw new MojoExecutionException("htmlize: cannot serve on " + host + ":" + port + ": " + e.getMessage()
          + " (the port is in use?); choose another with -Dhtmlize.port=N, or -Dhtmlize.port=0 for a free one", e);
    } catch (IOException e) {
      site.close();
      throw new MojoExecutionException("htmlize: cannot serve: " + e.getMessage(), e);
    }
    Thread stop = new Thread(preview::close, "htmlize-serve-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    getLog().info("htmlize: serving " + request.outputDirectory() + " at " + preview.address(host)
        + " (Ctrl-C stops); pages reload when their sources change");
    try {
      preview.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      preview.close();
    }
  }

  /**
   * The work directory of the project's render execution, whose state this shares (the pages it rendered are this
   * goal's too); this execution's own when the project binds none.
   */
  private Path workDirectory() {
    String id = mojoExecution.getExecutionId();
    Plugin self = project.getBuild().getPluginsAsMap().get(SELF);
    if (self != null) {
      List<String> renders = self.getExecutions().stream().filter(e -> e.getGoals().contains("render"))
          .map(PluginExecution::getId).toList();
      if (!renders.contains(id) && !renders.isEmpty()) {
        id = renders.get(0);
      }
    }
    return Path.of(project.getBuild().getDirectory(), "htmlize", id);
  }

  private void warnIfNotLoopback() throws MojoExecutionException {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        getLog().warn("htmlize: serving on " + host + ", not on the loopback address: other machines can reach "
            + "the preview");
      }
    } catch (UnknownHostException e) {
      throw new MojoExecutionException("htmlize: htmlize.host " + host + " is not an address of this machine", e);
    }
  }
}
