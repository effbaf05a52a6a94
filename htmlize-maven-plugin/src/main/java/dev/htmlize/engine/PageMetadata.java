package dev.htmlize.engine;

import dev.htmlize.plugin.Post;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The front-matter keys htmlize itself reads besides title, author, date and tags. They stay in the page's metadata
 * (plugins and templates see them as written): {@code weight} (a number; pages are listed by it, ascending, then by
 * title), {@code draft} ({@code true} or {@code false}) and {@code layout} (the name of a template in the layout
 * directory, or {@code default} or {@code none}). A page's date is read as an ISO 8601 date or date and time where the
 * site needs a time (sitemap, feed); any other date is shown as written and left out of those.
 */
final class PageMetadata {
  static final String WEIGHT = "weight";
  static final String DRAFT = "draft";
  static final String LAYOUT = "layout";

  private PageMetadata() {
  }

  /** The first of htmlize's own keys whose value it cannot read, or {@code null}. */
  static String check(Map<String, String> metadata) {
    String weight = metadata.get(WEIGHT);
    if (weight != null && number(weight) == null) {
      return WEIGHT;
    }
    String draft = metadata.get(DRAFT);
    if (draft != null && !draft.equalsIgnoreCase("true") && !draft.equalsIgnoreCase("false")) {
      return DRAFT;
    }
    String layout = metadata.get(LAYOUT);
    if (layout != null && (layout.isBlank() || layout.contains("/") || layout.contains("\\")
        || layout.startsWith("."))) {
      return LAYOUT;
    }
    return null;
  }

  /** What is wrong with the value of a key that {@link #check} named. */
  static String problem(String key, String value) {
    return switch (key) {
      case WEIGHT -> "weight must be a number (pages are listed by weight, ascending), not \"" + value + "\"";
      case DRAFT -> "draft must be true or false, not \"" + value + "\"";
      default -> "layout must name a template of the layout directory (NAME for NAME.mustache), or default or none,"
          + " not \"" + value + "\"";
    };
  }

  /** The page's weight, or empty when it has none. */
  static Optional<BigDecimal> weight(Post post) {
    return Optional.ofNullable(post.metadata().get(WEIGHT)).map(PageMetadata::number);
  }

  static boolean draft(Post post) {
    return "true".equalsIgnoreCase(post.metadata().get(DRAFT));
  }

  /** The layout the page names in its front matter, or empty for the build's default. */
  static Optional<String> layout(Post post) {
    return Optional.ofNullable(post.metadata().get(LAYOUT)).map(String::strip);
  }

  /**
   * The page's date as an instant in time: {@code 2024-05-01} (midnight UTC), {@code 2024-05-01T10:00:00} (UTC) or with
   * an offset, {@code 2024-05-01T10:00:00+02:00}; empty for a page with no date or one written otherwise.
   */
  static Optional<OffsetDateTime> dateTime(Post post) {
    String date = post.date().strip();
    if (date.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(date));
    } catch (DateTimeParseException e) {
      // Try the other forms.
    }
    try {
      return Optional.of(LocalDateTime.parse(date).atOffset(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      // Try a date alone.
    }
    try {
      return Optional.of(LocalDate.parse(date).atStartOfDay().atOffset(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether the page's date is written as a date alone (then a sitemap gives the day only). */
  static boolean dateOnly(Post post) {
    return post.date().strip().length() == 10;
  }

  private static BigDecimal number(String value) {
    try {
      return new BigDecimal(value.strip().toLowerCase(Locale.ROOT).replace("_", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
