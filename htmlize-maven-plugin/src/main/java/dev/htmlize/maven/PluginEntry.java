package dev.htmlize.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code <plugin>} of the {@code render} goal's {@code <plugins>}: a Java plugin named by Maven coordinates (as
 * {@code <coordinates>groupId:artifactId:version[:classifier]</coordinates>} or as child elements), an artifact of
 * type {@code exe}, or an {@code <executable>} in any language.
 */
public class PluginEntry {
  /** {@code groupId:artifactId:version[:classifier]}; or use the elements below. */
  String coordinates;
  String groupId;
  String artifactId;
  String version;
  String classifier;
  /** {@code jar} (default) or {@code exe}, a native executable published as an artifact. */
  String type;
  /** The path of a program to run as the plugin (any language); relative paths are against the project's base. */
  File executable;
  /** Arguments for the program or the Java main class. */
  List<String> arguments = new ArrayList<>();
  /** For a jar: the main class, when its manifest names none. */
  String mainClass;
  /** For a jar: options for its JVM (after htmlize's own, so they can override them). */
  List<String> jvmArgs = new ArrayList<>();
  /** Passed to the plugin's {@code Configure}. */
  Map<String, String> properties = new LinkedHashMap<>();
  /** Variables added to the plugin's environment. */
  Map<String, String> environment = new LinkedHashMap<>();
  /** The expected SHA-256 (hex) of the plugin's jar or executable. */
  String sha256;
  /** How logs and errors name the plugin; default: the artifactId or the executable's file name. */
  String name;
  /** Whether to use go-plugin's AutoMTLS with it: for a plugin that listens on TCP and supports it. */
  boolean autoMtls;
  /** Whether it may listen on plaintext TCP, where any local user could connect to it; default: refused. */
  boolean allowPlaintextTcp;
  /** For a jar: run it in a JVM of its own rather than in the plugin JVM the build's Java plugins share. */
  boolean isolated;
  /**
   * For a jar built on htmlize's SDK: load it in Maven's JVM and call it directly, without a process or gRPC (for a
   * trusted plugin: a crash or {@code System.exit} in it takes the build down).
   */
  boolean inProcess;

  @Override
  public String toString() {
    if (executable != null) {
      return executable.toString();
    }
    if (coordinates != null) {
      return coordinates;
    }
    return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
  }
}
