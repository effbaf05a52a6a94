package dev.htmlize.engine;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The incremental-build manifest: the configuration fingerprint of the last build, a digest of the site's metadata,
 * and, per source, its digest, what was written for it and its metadata. A missing or unreadable manifest means "render everything".
 */
final class BuildState {
  private static final int VERSION = 3;
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /**
   * One page's record, with the page's metadata as plugins saw it (for the site of the next build) and the size and
   * modification time of its source and output (0 when unknown), which spare the next build reading them.
   */
  record Page(String sourceDigest, String outputPath, String outputDigest, Post post, long sourceSize,
              long sourceModified, long outputSize, long outputModified) {
    Page(String sourceDigest, String outputPath, String outputDigest, Post post) {
      this(sourceDigest, outputPath, outputDigest, post, 0, 0, 0, 0);
    }

    /** This record with the files' current stamps. */
    Page withStamps(FileStamp source, FileStamp output) {
      return new Page(sourceDigest, outputPath, outputDigest, post, source == null ? 0 : source.size(),
          source == null ? 0 : source.modifiedNanos(), output == null ? 0 : output.size(),
          output == null ? 0 : output.modifiedNanos());
    }
  }

  private int version = VERSION;
  private String fingerprint = "";
  private String siteDigest = "";
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
    } catch (IOException | RuntimeException e) {
      // Not JSON, or JSON a build never writes: a record refused by its constructor (a page's Post without its
      // output path, say) comes as a RuntimeException from Gson.
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

  /** Whether this state says what another one does (then there is nothing to save). */
  boolean sameAs(BuildState other) {
    return fingerprint.equals(other.fingerprint) && siteDigest().equals(other.siteDigest())
        && pages.equals(other.pages);
  }

  String fingerprint() {
    return fingerprint;
  }

  void fingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
  }

  /** A digest of every page's metadata: when it changes, pages rendered by plugins may change. */
  String siteDigest() {
    return siteDigest == null ? "" : siteDigest;
  }

  void siteDigest(String digest) {
    this.siteDigest = digest;
  }

  Map<String, Page> pages() {
    return pages;
  }
}
