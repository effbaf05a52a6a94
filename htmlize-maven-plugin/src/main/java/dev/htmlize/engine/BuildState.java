package dev.htmlize.engine;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The incremental-build manifest: the configuration fingerprint of the last build and, per source, its digest and
 * what was written for it. A missing or unreadable manifest means "render everything".
 */
final class BuildState {
  private static final int VERSION = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** One page's record. */
  record Page(String sourceDigest, String outputPath, String outputDigest) {
  }

  private int version = VERSION;
  private String fingerprint = "";
  private TreeMap<String, Page> pages = new TreeMap<>();

  static BuildState load(Path file) {
    if (!Files.isRegularFile(file)) {
      return new BuildState();
    }
    try {
      BuildState state = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), BuildState.class);
      if (state == null || state.version != VERSION || state.pages == null || state.fingerprint == null
          || state.pages.entrySet().stream().anyMatch(BuildState::incomplete)) {
        return new BuildState();
      }
      return state;
    } catch (IOException | JsonParseException e) {
      return new BuildState();
    }
  }

  /** An entry a build never writes (a field missing, as in a file edited by hand): the state is not to be trusted. */
  private static boolean incomplete(Map.Entry<String, Page> entry) {
    Page page = entry.getValue();
    return entry.getKey() == null || page == null || page.sourceDigest() == null || page.outputPath() == null
        || page.outputDigest() == null;
  }

  void save(Path file) throws IOException {
    OutputFiles.writeAtomically(file, GSON.toJson(this).getBytes(StandardCharsets.UTF_8));
  }

  String fingerprint() {
    return fingerprint;
  }

  void fingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  Map<String, Page> pages() {
    return pages;
  }
}
