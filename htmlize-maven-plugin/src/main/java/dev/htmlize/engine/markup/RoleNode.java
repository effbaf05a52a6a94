package dev.htmlize.engine.markup;

import org.commonmark.node.CustomNode;

/** A {@code :name:`value`} role in a Markdown document. */
final class RoleNode extends CustomNode {
  private final String role;
  private final String value;
  private final String source;
  private String html;

  RoleNode(String role, String value, String source) {
    this.role = role;
    this.value = value;
    this.source = source;
  }

  String role() {
    return role;
  }

  String value() {
    return value;
  }

  /** The role as written, for when no plugin renders it. */
  String source() {
    return source;
  }

  /** The rendered HTML, or {@code null} to render the role as written. */
  String html() {
    return html;
  }

  void setHtml(String html) {
    this.html = html;
  }
}
