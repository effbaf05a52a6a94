package dev.htmlize.plugin;

import java.util.Objects;

/**
 * One {@code :role:`value`} on a page.
 *
 * @param role  the role's name
 * @param value the text between the backticks, as written
 * @param line  the 1-based line of the source file where it starts
 */
public record RoleOccurrence(String role, String value, int line) {
  public RoleOccurrence {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(value, "value");
  }
}
