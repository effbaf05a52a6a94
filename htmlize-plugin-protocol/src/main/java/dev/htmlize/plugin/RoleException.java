package dev.htmlize.plugin;

import java.util.Objects;

/**
 * A role occurrence that cannot be rendered, thrown from {@link Htmlizer#processRole} or
 * {@link Htmlizer#processRoles}: the build fails with the message at that occurrence's page and line (the SDK sends
 * the occurrence's index in the {@code htmlize-role-index} trailer).
 */
public class RoleException extends IllegalArgumentException {
  private final transient RoleOccurrence occurrence;

  /**
   * For {@link Htmlizer#processRole}, which has no occurrence object: the default {@link Htmlizer#processRoles}
   * attaches it.
   */
  public RoleException(String message) {
    super(message);
    this.occurrence = null;
  }

  /**
   * @param occurrence the occurrence, as received (the same object)
   * @param message    what is wrong with it, for the page's author
   */
  public RoleException(RoleOccurrence occurrence, String message) {
    super(message);
    this.occurrence = Objects.requireNonNull(occurrence);
  }

  /**
   * @param cause what went wrong underneath
   */
  public RoleException(RoleOccurrence occurrence, String message, Throwable cause) {
    super(message, cause);
    this.occurrence = Objects.requireNonNull(occurrence);
  }

  /** The occurrence that failed, if known. */
  public java.util.Optional<RoleOccurrence> occurrence() {
    return java.util.Optional.ofNullable(occurrence);
  }
}
