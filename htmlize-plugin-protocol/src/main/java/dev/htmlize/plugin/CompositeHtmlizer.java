package dev.htmlize.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Several {@link Htmlizer}s served by one process, as one: hooks united, each role routed to the last htmlizer that
 * registers it (the article's rule), contents hooks chained in the given order.
 */
final class CompositeHtmlizer implements Htmlizer {
  private final List<Htmlizer> htmlizers;
  private final List<String> hooks;
  private final Map<String, Htmlizer> roles = new HashMap<>();
  private final List<Htmlizer> contents = new ArrayList<>();

  CompositeHtmlizer(List<Htmlizer> htmlizers) {
    this.htmlizers = List.copyOf(htmlizers);
    LinkedHashSet<String> all = new LinkedHashSet<>();
    for (Htmlizer htmlizer : this.htmlizers) {
      for (String hook : htmlizer.hooks()) {
        if (!HtmlizeProtocol.isValidHook(hook)) {
          throw new IllegalArgumentException(htmlizer.getClass().getName() + " declares an invalid hook \"" + hook
              + "\": hooks are \"contents\" or \"role:NAME\" with a name of letters, digits and underscores");
        }
        all.add(hook);
        HtmlizeProtocol.roleOf(hook).ifPresent(role -> roles.put(role, htmlizer));
        if (hook.equals(HtmlizeProtocol.CONTENTS_HOOK) && !contents.contains(htmlizer)) {
          contents.add(htmlizer);
        }
      }
    }
    this.hooks = List.copyOf(all);
  }

  @Override
  public List<String> hooks() {
    return hooks;
  }

  @Override
  public void configure(Map<String, String> properties) {
    configure(properties, Site.unavailable());
  }

  @Override
  public void configure(Map<String, String> properties, Site site) {
    for (Htmlizer htmlizer : htmlizers) {
      htmlizer.configure(properties, site);
    }
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return handler(role).processRole(role, value, post);
  }

  @Override
  public List<String> processRoles(Post post, List<RoleOccurrence> occurrences) {
    if (htmlizers.size() == 1) {
      return htmlizers.get(0).processRoles(post, occurrences);
    }
    Map<Htmlizer, List<Integer>> indexes = new HashMap<>();
    for (int i = 0; i < occurrences.size(); i++) {
      indexes.computeIfAbsent(handler(occurrences.get(i).role()), h -> new ArrayList<>()).add(i);
    }
    String[] html = new String[occurrences.size()];
    for (Map.Entry<Htmlizer, List<Integer>> group : indexes.entrySet()) {
      List<RoleOccurrence> mine = group.getValue().stream().map(occurrences::get).toList();
      List<String> results = group.getKey().processRoles(post, mine);
      if (results.size() != mine.size()) {
        throw new IllegalStateException(group.getKey().getClass().getName() + " returned " + results.size()
            + " results for " + mine.size() + " roles");
      }
      for (int i = 0; i < mine.size(); i++) {
        html[group.getValue().get(i)] = results.get(i);
      }
    }
    return List.of(html);
  }

  @Override
  public String processContents(String html, Post post) {
    String result = html;
    for (Htmlizer htmlizer : contents) {
      result = htmlizer.processContents(result, post);
    }
    return result;
  }

  private Htmlizer handler(String role) {
    Htmlizer htmlizer = roles.get(role);
    if (htmlizer == null) {
      throw new IllegalArgumentException("no htmlizer here registers the role " + role);
    }
    return htmlizer;
  }
}
