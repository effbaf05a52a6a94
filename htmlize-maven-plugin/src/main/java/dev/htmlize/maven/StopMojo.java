package dev.htmlize.maven;

import dev.htmlize.engine.KeptPlugins;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Ends every plugin JVM that builds with {@code keepAlive} left running for this user (those a running build is
 * using are left to it, and said so). Needs no project.
 */
@Mojo(name = "stop", threadSafe = true, requiresProject = false)
public class StopMojo extends AbstractMojo {
  @Override
  public void execute() throws MojoExecutionException {
    try {
      int stopped = KeptPlugins.stopAll(KeptPlugins.defaultDirectory(), new MavenEngineLog(getLog()));
      getLog().info("htmlize: " + stopped + (stopped == 1 ? " kept plugin JVM" : " kept plugin JVMs") + " stopped");
    } catch (IOException e) {
      throw new MojoExecutionException("htmlize: cannot read " + KeptPlugins.defaultDirectory() + ": "
          + e.getMessage(), e);
    }
  }
}
