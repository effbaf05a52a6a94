package dev.htmlize.engine.markup;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * CommonMark (commonmark-java) with GitHub tables, strikethrough, autolinks, heading anchors ({@code id} on every
 * heading) and roles as an inline syntax ({@link RoleInlineParser}). Raw HTML passes through, as CommonMark says. In
 * an image's description, which becomes its plain-text {@code alt}, a role stands for its value.
 */
public final class MarkdownMarkup implements Markup {
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
      StrikethroughExtension.create(), AutolinkExtension.create(), HeadingAnchorExtension.create());

  private final Parser parser = Parser.builder()
      .extensions(EXTENSIONS)
      .customInlineContentParserFactory(RoleInlineParser.FACTORY)
      .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
      .build();
  private final HtmlRenderer renderer = HtmlRenderer.builder()
      .extensions(EXTENSIONS)
      .nodeRendererFactory(RoleRenderer::new)
      .build();

  @Override
  public MarkupDocument parse(String body, int firstLine) {
    Node document = parser.parse(body);
    List<RoleNode> nodes = new ArrayList<>();
    List<RoleNode> inImages = new ArrayList<>();
    Heading[] first = new Heading[1];
    document.accept(new AbstractVisitor() {
      private int images;

      @Override
      public void visit(CustomNode node) {
        if (node instanceof RoleNode role) {
          (images > 0 ? inImages : nodes).add(role);
        }
        visitChildren(node);
      }

      @Override
      public void visit(Image image) {
        images++;
        visitChildren(image);
        images--;
      }

      @Override
      public void visit(Heading heading) {
        if (first[0] == null || (heading.getLevel() == 1 && first[0].getLevel() != 1)) {
          first[0] = heading;
        }
        visitChildren(heading);
      }
    });
    // An image's description becomes its alt attribute, plain text: a role there is its value, and no plugin's.
    for (RoleNode role : inImages) {
      role.insertBefore(new Text(role.value()));
      role.unlink();
    }
    List<RoleOccurrence> roles = nodes.stream().map(node -> new RoleOccurrence(node.role(), node.value(),
        node.getSourceSpans().isEmpty() ? firstLine : firstLine + node.getSourceSpans().get(0).getLineIndex()))
        .toList();
    Optional<String> heading = Optional.ofNullable(first[0]).map(MarkdownMarkup::text).filter(s -> !s.isBlank());
    return new MarkupDocument() {
      @Override
      public List<RoleOccurrence> roles() {
        return roles;
      }

      @Override
      public Optional<String> firstHeading() {
        return heading;
      }

      @Override
      public String render(List<String> roleHtml) {
        for (int i = 0; i < nodes.size(); i++) {
          nodes.get(i).setHtml(roleHtml.get(i));
        }
        return renderer.render(document);
      }
    };
  }

  private static String text(Node node) {
    StringBuilder out = new StringBuilder();
    node.accept(new AbstractVisitor() {
      @Override
      public void visit(Text text) {
        out.append(text.getLiteral());
      }

      @Override
      public void visit(Code code) {
        out.append(code.getLiteral());
      }

      @Override
      public void visit(CustomNode custom) {
        if (custom instanceof RoleNode role) {
          out.append(role.value());
        } else {
          visitChildren(custom);
        }
      }
    });
    return out.toString().strip();
  }

  private static final class RoleRenderer implements NodeRenderer {
    private final HtmlNodeRendererContext context;

    RoleRenderer(HtmlNodeRendererContext context) {
      this.context = context;
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(RoleNode.class);
    }

    @Override
    public void render(Node node) {
      RoleNode role = (RoleNode) node;
      if (role.html() != null) {
        context.getWriter().raw(role.html());
      } else {
        context.getWriter().text(role.source());
      }
    }
  }
}
