package dev.htmlize.engine;

import dev.htmlize.engine.markup.MarkupDocument;
import dev.htmlize.goplugin.Sha256;
import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A source as a page: its bytes (up to {@code maxSourceSize}), strictly decoded, its front matter read, its markup
 * parsed, and its Post. What cannot be read or parsed is a problem naming the file and line; a source deleted since
 * the scan listed it is gone, not a problem. Thread-safe.
 */
final class SourceReader {
  private final RenderRequest request;
  private final MarkupRegistry markups;
  private final Problems problems;

  SourceReader(RenderRequest request, MarkupRegistry markups, Problems problems) {
    this.request = request;
    this.markups = markups;
    this.problems = problems;
  }

  /**
   * A source's bytes: {@code null} when it cannot be read or is over maxSourceSize (a problem says why), {@code gone}
   * when it was deleted after the scan listed it.
   */
  record Bytes(byte[] bytes, boolean gone) {
  }

  Bytes read(String source) {
    try {
      Path file = request.sourceDirectory().resolve(source);
      if (tooLarge(source, Files.size(file))) {
        return new Bytes(null, false);
      }
      return new Bytes(Files.readAllBytes(file), false);
    } catch (NoSuchFileException e) {
      problems.vanished(source);
      return new Bytes(null, true);
    } catch (IOException e) {
      problems.add(new Problem(source, 0, "cannot read: " + e.getMessage()));
      return new Bytes(null, false);
    } catch (OutOfMemoryError e) {
      problems.add(new Problem(source, 0, "cannot read: it does not fit in the build's memory; give Maven more "
          + "(MAVEN_OPTS=-Xmx2g, say) or lower maxSourceSize"));
      return new Bytes(null, false);
    }
  }

  /** Whether a source of this size is refused, with a problem saying so. */
  boolean tooLarge(String source, long size) {
    if (size <= request.maxSourceSize()) {
      return false;
    }
    problems.add(new Problem(source, 0, size + " bytes, more than maxSourceSize (" + request.maxSourceSize()
        + " bytes); exclude it, split it, or raise maxSourceSize"));
    return true;
  }

  /**
   * A page read and parsed, or empty if it failed (a problem says why) or is gone.
   *
   * @param bytes its content if it was kept since it was read, else {@code null}: it is read now
   */
  Optional<ParsedPage> parse(String source, String output, byte[] bytes) {
    byte[] content = bytes != null ? bytes : read(source).bytes();
    if (content == null) {
      return Optional.empty();
    }
    if (SourceText.looksBinary(content)) {
      problems.add(new Problem(source, 0, "looks like a binary file (it has NUL bytes), not markup; exclude it"));
      return Optional.empty();
    }
    FrontMatter front;
    try {
      front = FrontMatter.read(SourceText.decode(content, request.encoding()), source);
    } catch (SourceLineException e) {
      problems.add(new Problem(source, e.line(), e.getMessage()));
      return Optional.empty();
    }
    MarkupDocument document;
    try {
      document = markups.of(source).parse(front.body(), front.bodyLine());
    } catch (StackOverflowError e) {
      problems.add(new Problem(source, 0, "the markup nests too deeply to render"));
      return Optional.empty();
    }
    String badValue = PageMetadata.check(front.metadata());
    if (badValue != null) {
      problems.add(new Problem(source, front.keyLines().getOrDefault(badValue, 0),
          PageMetadata.problem(badValue, front.metadata().get(badValue))));
      return Optional.empty();
    }
    String title = front.title().or(document::firstHeading).orElse(stem(source));
    Post post = new Post(pageId(source), front.author().orElse(request.defaultAuthor()), title, source, output,
        front.date(), front.tags(), front.metadata());
    return Optional.of(new ParsedPage(source, document, post, front.keyLines()));
  }

  /** The page's path under the output directory: {@code a/b.md} becomes {@code a/b.html}. */
  static String outputPathOf(String source) {
    int slash = source.lastIndexOf('/');
    int dot = source.lastIndexOf('.');
    return (dot > slash ? source.substring(0, dot) : source) + ".html";
  }

  private static String stem(String source) {
    String name = source.substring(source.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** A page's id: stable for its source path, from its SHA-256. */
  private static long pageId(String source) {
    byte[] hash = Sha256.digest(source.getBytes(StandardCharsets.UTF_8));
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (hash[i] & 0xff);
    }
    return id & Long.MAX_VALUE;
  }
}
