package dev.htmlize.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median and spread (minimum and maximum) of repeated measurements. */
public record Stats(double median, double min, double max, int n) {
  public static Stats of(double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1], n);
  }

  public static Stats of(List<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** {@code median (min–max, n=N)} with a sensible number of digits. */
  public String format() {
    return Stats.number(median) + " (" + Stats.number(min) + "–" + Stats.number(max) + ", n=" + n + ")";
  }

  public static String number(double value) {
    double abs = Math.abs(value);
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
