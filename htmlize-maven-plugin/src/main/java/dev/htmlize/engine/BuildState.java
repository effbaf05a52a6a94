package dev.htmlize.engine;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The incremental-build manifest: the configuration fingerprint of the last build, a digest of the site's metadata,
 * and, per source, its digest, what was written for it and its metadata; and which files of the output directory this
 * execution wrote (it overwrites or removes no other). A missing or unreadable manifest means "render everything".
 *
 * <p>Read and written with Gson's streaming API rather than its reflective binding: a no-op build of a large site does
 * little besides reading this file, and in a fresh JVM the reflective binding takes about three times as long.
 */
final class BuildState {
  /** The name of the state file in an execution's work directory. */
  static final String FILE_NAME = "htmlize-state.json";
  private static final int VERSION = 4;

  /**
   * One page's record, with the page's metadata as plugins saw it (for the site of the next build) and the size and
   * modification time of its source and output (0 when unknown), which spare the next build reading them.
   */
  record Page(String sourceDigest, String outputPath, String outputDigest, Post post, long sourceSize,
              long sourceModified, long outputSize, long outputModified) {
    Page(String sourceDigest, String outputPath, String outputDigest, Post post) {
      this(sourceDigest, outputPath, outputDigest, post, 0, 0, 0, 0);
    }

    /** A page left out as a draft: its Post is known, but it has no output. */
    static Page draft(String sourceDigest, Post post, FileStamp source) {
      return new Page(sourceDigest, post.outputPath(), "", post).withStamps(source, null);
    }

    /** Whether this is a draft's record, with no output written. */
    boolean isDraft() {
      return outputDigest.isEmpty();
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
  private String outputDirectory = "";
  private TreeMap<String, Page> pages = new TreeMap<>();
  /** Outputs this execution wrote that no page record names (the pages of sources that failed since). */
  private TreeSet<String> otherOutputs = new TreeSet<>();
  /** The assets copied, by path, with the stamps of the source and of the copy. */
  private TreeMap<String, Asset> assets = new TreeMap<>();
  /** The files the build writes of its own (the theme's stylesheet, the sitemap, the feed), with their digests. */
  private TreeMap<String, String> generated = new TreeMap<>();

  /** An asset as copied: the stamps of its source and of its copy. */
  record Asset(long sourceSize, long sourceModified, long outputSize, long outputModified) {
    static Asset of(FileStamp source, FileStamp output) {
      return new Asset(source == null ? 0 : source.size(), source == null ? 0 : source.modifiedNanos(),
          output == null ? 0 : output.size(), output == null ? 0 : output.modifiedNanos());
    }
  }

  static BuildState load(Path file) {
    if (!Files.isRegularFile(file)) {
      return new BuildState();
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      BuildState state = read(new JsonReader(in));
      if (state.version != VERSION || state.fingerprint == null
          || state.pages.entrySet().stream().anyMatch(BuildState::incomplete)) {
        return new BuildState();
      }
      return state;
    } catch (IOException | RuntimeException e) {
      // Not JSON, or JSON a build never writes: a record refused by its constructor (a page's Post without its
      // output path, say) comes as a RuntimeException.
      return new BuildState();
    }
  }

  /** An entry a build never writes (a field missing, as in a file edited by hand): the state is not to be trusted. */
  private static boolean incomplete(Map.Entry<String, Page> entry) {
    Page page = entry.getValue();
    return entry.getKey() == null || page == null || page.sourceDigest() == null || page.outputPath() == null
        || page.outputDigest() == null;
  }

  private static BuildState read(JsonReader in) throws IOException {
    BuildState state = new BuildState();
    state.version = -1;
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "version" -> state.version = in.nextInt();
        case "fingerprint" -> state.fingerprint = string(in);
        case "siteDigest" -> state.siteDigest = string(in);
        case "outputDirectory" -> state.outputDirectory = string(in);
        case "otherOutputs" -> {
          in.beginArray();
          while (in.hasNext()) {
            state.otherOutputs.add(in.nextString());
          }
          in.endArray();
        }
        case "assets" -> {
          in.beginObject();
          while (in.hasNext()) {
            String path = in.nextName();
            in.beginArray();
            state.assets.put(path, new Asset(in.nextLong(), in.nextLong(), in.nextLong(), in.nextLong()));
            in.endArray();
          }
          in.endObject();
        }
        case "generated" -> {
          in.beginObject();
          while (in.hasNext()) {
            String path = in.nextName();
            state.generated.put(path, in.nextString());
          }
          in.endObject();
        }
        case "pages" -> {
          in.beginObject();
          while (in.hasNext()) {
            String source = in.nextName();
            state.pages.put(source, page(in));
          }
          in.endObject();
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    if (in.peek() != JsonToken.END_DOCUMENT) {
      throw new IllegalStateException("more after the state");
    }
    return state;
  }

  private static Page page(JsonReader in) throws IOException {
    String sourceDigest = null;
    String outputPath = null;
    String outputDigest = null;
    Post post = null;
    long sourceSize = 0;
    long sourceModified = 0;
    long outputSize = 0;
    long outputModified = 0;
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "sourceDigest" -> sourceDigest = string(in);
        case "outputPath" -> outputPath = string(in);
        case "outputDigest" -> outputDigest = string(in);
        case "post" -> post = post(in);
        case "sourceSize" -> sourceSize = in.nextLong();
        case "sourceModified" -> sourceModified = in.nextLong();
        case "outputSize" -> outputSize = in.nextLong();
        case "outputModified" -> outputModified = in.nextLong();
        default -> in.skipValue();
      }
    }
    in.endObject();
    return new Page(sourceDigest, outputPath, outputDigest, post, sourceSize, sourceModified, outputSize,
        outputModified);
  }

  private static Post post(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    long id = 0;
    String author = null;
    String title = null;
    String sourcePath = null;
    String outputPath = null;
    String date = null;
    List<String> tags = new ArrayList<>();
    Map<String, String> metadata = new HashMap<>();
    in.beginObject();
    while (in.hasNext()) {
      switch (in.nextName()) {
        case "id" -> id = in.nextLong();
        case "author" -> author = string(in);
        case "title" -> title = string(in);
        case "sourcePath" -> sourcePath = string(in);
        case "outputPath" -> outputPath = string(in);
        case "date" -> date = string(in);
        case "tags" -> {
          in.beginArray();
          while (in.hasNext()) {
            tags.add(in.nextString());
          }
          in.endArray();
        }
        case "metadata" -> {
          in.beginObject();
          while (in.hasNext()) {
            metadata.put(in.nextName(), in.nextString());
          }
          in.endObject();
        }
        default -> in.skipValue();
      }
    }
    in.endObject();
    return new Post(id, author, title, sourcePath, outputPath, date, tags, metadata);
  }

  /** A string value, or {@code null} for JSON's null; anything else is not a state this build wrote. */
  private static String string(JsonReader in) throws IOException {
    if (in.peek() == JsonToken.NULL) {
      in.nextNull();
      return null;
    }
    if (in.peek() != JsonToken.STRING) {
      throw new IllegalStateException("a string expected");
    }
    return in.nextString();
  }

  void save(Path file) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonWriter out = new JsonWriter(text)) {
      out.setHtmlSafe(false);
      out.beginObject();
      out.name("version").value(version);
      out.name("fingerprint").value(fingerprint);
      out.name("siteDigest").value(siteDigest());
      out.name("outputDirectory").value(outputDirectory());
      out.name("otherOutputs").beginArray();
      for (String output : otherOutputs) {
        out.value(output);
      }
      out.endArray();
      out.name("assets").beginObject();
      for (Map.Entry<String, Asset> entry : assets.entrySet()) {
        Asset asset = entry.getValue();
        out.name(entry.getKey()).beginArray().value(asset.sourceSize()).value(asset.sourceModified())
            .value(asset.outputSize()).value(asset.outputModified()).endArray();
      }
      out.endObject();
      out.name("generated").beginObject();
      for (Map.Entry<String, String> entry : generated.entrySet()) {
        out.name(entry.getKey()).value(entry.getValue());
      }
      out.endObject();
      out.name("pages").beginObject();
      for (Map.Entry<String, Page> entry : pages.entrySet()) {
        Page page = entry.getValue();
        out.name(entry.getKey()).beginObject();
        out.name("sourceDigest").value(page.sourceDigest());
        out.name("outputPath").value(page.outputPath());
        out.name("outputDigest").value(page.outputDigest());
        if (page.post() != null) {
          Post post = page.post();
          out.name("post").beginObject();
          out.name("id").value(post.id());
          out.name("author").value(post.author());
          out.name("title").value(post.title());
          out.name("sourcePath").value(post.sourcePath());
          out.name("outputPath").value(post.outputPath());
          out.name("date").value(post.date());
          out.name("tags").beginArray();
          for (String tag : post.tags()) {
            out.value(tag);
          }
          out.endArray();
          out.name("metadata").beginObject();
          for (Map.Entry<String, String> meta : new TreeMap<>(post.metadata()).entrySet()) {
            out.name(meta.getKey()).value(meta.getValue());
          }
          out.endObject();
          out.endObject();
        }
        out.name("sourceSize").value(page.sourceSize());
        out.name("sourceModified").value(page.sourceModified());
        out.name("outputSize").value(page.outputSize());
        out.name("outputModified").value(page.outputModified());
        out.endObject();
      }
      out.endObject();
      out.endObject();
    }
    OutputFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether this state says what another one does (then there is nothing to save). */
  boolean sameAs(BuildState other) {
    return fingerprint.equals(other.fingerprint) && siteDigest().equals(other.siteDigest())
        && outputDirectory().equals(other.outputDirectory()) && pages.equals(other.pages)
        && otherOutputs.equals(other.otherOutputs) && assets.equals(other.assets) && generated.equals(other.generated);
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

  /** The output directory the outputs are in, as an absolute path; empty in a state of an earlier release. */
  String outputDirectory() {
    return outputDirectory == null ? "" : outputDirectory;
  }

  void outputDirectory(String directory) {
    this.outputDirectory = directory;
  }

  /** Outputs written by this execution that no page record names. */
  Set<String> otherOutputs() {
    return otherOutputs;
  }

  /** The assets copied, by path (the same under the source and the output directory). */
  Map<String, Asset> assets() {
    return assets;
  }

  /** The files written of the build's own, by path under the output directory, with the SHA-256 of what was written. */
  Map<String, String> generated() {
    return generated;
  }

  /**
   * Every output this execution wrote and still owns, relative to the output directory: what it may overwrite or
   * remove. A file there that is not among them is someone else's.
   */
  Set<String> ownedOutputs() {
    Set<String> owned = new HashSet<>(otherOutputs);
    pages.values().stream().filter(page -> !page.isDraft()).forEach(page -> owned.add(page.outputPath()));
    owned.addAll(assets.keySet());
    owned.addAll(generated.keySet());
    return owned;
  }
}
