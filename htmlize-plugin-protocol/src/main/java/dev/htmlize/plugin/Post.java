package dev.htmlize.plugin;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A page's metadata, as a plugin sees it. The body is not part of it: it travels only to contents hooks.
 *
 * @param id         stable per page (derived from its source path)
 * @param author     from front matter, else the build's default author; may be empty
 * @param title      from front matter, else the page's first heading, else its file name
 * @param sourcePath relative to the source directory, {@code /}-separated
 * @param outputPath relative to the output directory, {@code /}-separated
 * @param date       as written in front matter; empty if none
 * @param tags       from front matter
 * @param metadata   the other front-matter keys, values as text
 */
public record Post(long id, String author, String title, String sourcePath, String outputPath, String date,
                   List<String> tags, Map<String, String> metadata) {
  public Post {
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(sourcePath, "sourcePath");
    Objects.requireNonNull(outputPath, "outputPath");
    Objects.requireNonNull(date, "date");
    tags = List.copyOf(tags);
    metadata = Map.copyOf(metadata);
  }
}
