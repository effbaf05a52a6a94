package dev.htmlize.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/** Horizontal bar charts, one panel per series, drawn with Java2D (headless) into a PNG. */
final class Chart {
  private static final int WIDTH = 1000;
  private static final int BAR = 22;
  private static final Color[] COLORS = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f),
      new Color(0xe15759), new Color(0x76b7b2), new Color(0xedc948)};

  private Chart() {
  }

  static void write(Results results, Path file, String title) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int height = 60;
    for (Map<String, Double> panel : results.chart.values()) {
      height += 40 + panel.size() * (BAR + 6) + 20;
    }
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(title, 20, 32);
    int y = 60;
    int panelIndex = 0;
    for (Map.Entry<String, Map<String, Double>> panel : results.chart.entrySet()) {
      String unit = results.chartUnits.get(panel.getKey());
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.drawString(panel.getKey() + " (" + unit + ")", 20, y + 20);
      y += 32;
      double max = panel.getValue().values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
      boolean log = max / panel.getValue().values().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0)
          .min().orElse(max) > 200;
      int labelWidth = 330;
      int barSpace = WIDTH - labelWidth - 130;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (Map.Entry<String, Double> bar : panel.getValue().entrySet()) {
        double value = bar.getValue();
        double fraction = log ? Math.log10(Math.max(value, 0.01) / 0.01) / Math.log10(max / 0.01) : value / max;
        int length = (int) Math.max(1, Math.round(barSpace * fraction));
        g.setColor(Color.DARK_GRAY);
        g.drawString(bar.getKey(), 20, y + BAR - 6);
        g.setColor(COLORS[panelIndex % COLORS.length]);
        g.fillRect(labelWidth, y, length, BAR);
        g.setColor(Color.BLACK);
        g.drawString(Stats.number(value) + " " + unit, labelWidth + length + 6, y + BAR - 6);
        y += BAR + 6;
      }
      if (log) {
        g.setColor(Color.GRAY);
        g.drawString("(log scale)", WIDTH - 90, y - 4);
      }
      g.setStroke(new BasicStroke(1));
      g.setColor(new Color(0xdddddd));
      g.drawLine(20, y + 8, WIDTH - 20, y + 8);
      y += 20;
      panelIndex++;
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
    System.out.println("chart: " + file);
  }
}
