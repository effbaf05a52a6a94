package dev.htmlize.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results of one run, as markdown tables, plus the figures the chart draws. */
public final class Results {
  private final StringBuilder markdown = new StringBuilder();
  /** Chart series: panel title to (label to value). */
  final Map<String, Map<String, Double>> chart = new LinkedHashMap<>();
  final Map<String, String> chartUnits = new LinkedHashMap<>();

  public void heading(String text) {
    markdown.append("\n## ").append(text).append("\n\n");
  }

  public void paragraph(String text) {
    markdown.append(text).append("\n\n");
  }

  public void table(List<String> header, List<List<String>> rows) {
    markdown.append("| ").append(String.join(" | ", header)).append(" |\n");
    markdown.append("|").append("---|".repeat(header.size())).append('\n');
    for (List<String> row : rows) {
      markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    markdown.append('\n');
    System.out.print(render(header, rows));
  }

  public void chart(String panel, String unit, String label, double value) {
    chart.computeIfAbsent(panel, p -> new LinkedHashMap<>()).put(label, value);
    chartUnits.put(panel, unit);
  }

  private static String render(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      out.append(String.join("  ", row)).append('\n');
    }
    return out.append('\n').toString();
  }

  public void write(Path file, String title) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# " + title + "\n" + markdown, StandardCharsets.UTF_8);
  }
}
