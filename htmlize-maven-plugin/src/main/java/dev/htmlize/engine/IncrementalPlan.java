package dev.htmlize.engine;

import dev.htmlize.goplugin.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a build renders, and why, decided once: each source's page is up to date or stale (new, its source changed,
 * the configuration changed, its output changed or went), and the pages of deleted sources are orphans. A page whose
 * source and output have the size and modification time recorded last time is up to date without being read; one
 * whose stamps differ is read and compared by digest. The bytes of stale sources are kept for rendering up to a
 * budget (4 MB), past which they are read again when their turn comes, so that memory does not grow with the site.
 * Once the site is read, {@link #rendering(boolean)} adds the pages that read the site when it changed.
 */
final class IncrementalPlan {
  /** How many bytes of stale sources stay in memory between reading and rendering them. */
  private static final long KEEP_BUDGET = 4L << 20;

  /** Why a page renders, or that it does not. */
  enum Reason {
    UP_TO_DATE, NEW, SOURCE_CHANGED, CONFIGURATION_CHANGED, OUTPUT_CHANGED,
    /** Up to date itself, but a page's title or metadata changed, or a page came or went, and plugins see the site. */
    SITE_CHANGED;

    /** How the debug log says it: "source changed". */
    String words() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * One source's page.
   *
   * @param stamp    the source's size and modification time as the scan saw them ({@code null} for a linked file)
   * @param digest   the source's SHA-256 (as recorded, for a page not read)
   * @param bytes    the source, kept for rendering (within the budget); else {@code null}: read it again
   * @param previous the last build's record, for a page that is up to date
   */
  record Page(String source, String output, FileStamp stamp, String digest, byte[] bytes, BuildState.Page previous,
              Reason reason) {
    boolean stale() {
      return reason != Reason.UP_TO_DATE;
    }

    /** The source's size, as far as it is known without reading it. */
    long size() {
      return bytes != null ? bytes.length : stamp != null ? stamp.size() : 0;
    }
  }

  private final List<Page> pages;
  /** Every listed source's output, including those that cannot render: a claimed output is not an orphan. */
  private final Map<String, String> outputs;
  private final Map<String, BuildState.Page> orphans;

  private IncrementalPlan(List<Page> pages, Map<String, String> outputs, Map<String, BuildState.Page> orphans) {
    this.pages = pages;
    this.outputs = outputs;
    this.orphans = orphans;
  }

  static IncrementalPlan make(RenderRequest request, Map<String, FileStamp> sources, BuildState previous,
                              String fingerprint, SourceReader reader, Problems problems) {
    return make(request, sources, previous, fingerprint, reader, problems, false);
  }

  /**
   * @param outputsAsRecorded whether the outputs are taken to be as the state records them, without looking (a
   *                          long-lived render that wrote them itself, and that nothing else writes meanwhile)
   */
  static IncrementalPlan make(RenderRequest request, Map<String, FileStamp> sources, BuildState previous,
                              String fingerprint, SourceReader reader, Problems problems, boolean outputsAsRecorded) {
    boolean configurationChanged = !fingerprint.equals(previous.fingerprint());
    Map<String, String> outputs = new HashMap<>();
    List<Page> pages = new ArrayList<>();
    long kept = 0;
    for (Map.Entry<String, FileStamp> scanned : sources.entrySet()) {
      String source = scanned.getKey();
      String output = SourceReader.outputPathOf(source);
      String clash = outputs.put(output, source);
      if (clash != null) {
        problems.add(new Problem(source, 0, "both " + clash + " and " + source + " would become " + output
            + "; rename one or exclude it"));
        continue;
      }
      BuildState.Page recorded = previous.pages().get(source);
      BuildState.Page before = configurationChanged || recorded == null || recorded.post() == null ? null : recorded;
      FileStamp stamp = scanned.getValue();
      if (stamp != null && reader.tooLarge(source, stamp.size())) {
        continue;
      }
      if (before != null && stamp != null && stamp.matches(before.sourceSize(), before.sourceModified())
          && (before.isDraft() || outputsAsRecorded || outputStamped(request, before))) {
        pages.add(new Page(source, output, stamp, before.sourceDigest(), null, before, Reason.UP_TO_DATE));
        continue;
      }
      SourceReader.Bytes read = reader.read(source);
      if (read.gone()) {
        // Deleted since the scan listed it: as for any deleted source, its page goes.
        outputs.remove(output);
        continue;
      }
      if (read.bytes() == null) {
        continue;
      }
      byte[] bytes = read.bytes();
      String digest = Sha256.hex(bytes);
      Reason reason = before == null ? (recorded == null ? Reason.NEW : Reason.CONFIGURATION_CHANGED)
          : !before.sourceDigest().equals(digest) ? Reason.SOURCE_CHANGED
          : before.isDraft() || outputIntact(request, before) ? Reason.UP_TO_DATE : Reason.OUTPUT_CHANGED;
      if (reason == Reason.UP_TO_DATE) {
        pages.add(new Page(source, output, stamp, digest, null, before.withStamps(stamp, before.isDraft() ? null
            : FileStamp.of(request.outputDirectory().resolve(before.outputPath()))), reason));
        continue;
      }
      boolean keep = kept + bytes.length <= KEEP_BUDGET;
      kept += keep ? bytes.length : 0;
      pages.add(new Page(source, output, stamp, digest, keep ? bytes : null, null, reason));
    }
    return new IncrementalPlan(pages, outputs, orphansOf(previous, outputs));
  }

  /** The previous pages whose source is gone and whose output no listed source claims. */
  private static Map<String, BuildState.Page> orphansOf(BuildState previous, Map<String, String> outputs) {
    Set<String> listed = new HashSet<>(outputs.values());
    Map<String, BuildState.Page> orphans = new HashMap<>();
    previous.pages().forEach((source, page) -> {
      if (!listed.contains(source) && !outputs.containsKey(page.outputPath())) {
        orphans.put(source, page);
      }
    });
    return orphans;
  }

  /** Every page that can render, in source order. */
  List<Page> pages() {
    return pages;
  }

  boolean anyStale() {
    return pages.stream().anyMatch(Page::stale);
  }

  /**
   * The pages to render: the stale ones and, when the site changed in a way plugins could see, every other page too
   * (with {@link Reason#SITE_CHANGED}).
   */
  List<Page> rendering(boolean siteChanged) {
    List<Page> rendering = new ArrayList<>();
    for (Page page : pages) {
      if (page.stale()) {
        rendering.add(page);
      } else if (siteChanged) {
        rendering.add(new Page(page.source(), page.output(), page.stamp(), page.digest(), null, null,
            Reason.SITE_CHANGED));
      }
    }
    return rendering;
  }

  /** "12 new, 3 source changed": how many pages render for each reason, for the debug log. */
  static String reasons(List<Page> rendering) {
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    rendering.forEach(page -> counts.merge(page.reason(), 1, Integer::sum));
    return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().words())
        .collect(Collectors.joining(", "));
  }

  /** The pages of deleted sources, by source. */
  Map<String, BuildState.Page> orphans() {
    return orphans;
  }

  /** Every listed source's output, to its source; a source that vanished later is forgotten here. */
  Map<String, String> outputs() {
    return outputs;
  }

  /** Whether the page's output has the size and modification time recorded when it was written. */
  static boolean outputStamped(RenderRequest request, BuildState.Page page) {
    FileStamp stamp = FileStamp.of(request.outputDirectory().resolve(page.outputPath()));
    return stamp != null && stamp.matches(page.outputSize(), page.outputModified());
  }

  /** Whether the page's output holds what was written. */
  static boolean outputIntact(RenderRequest request, BuildState.Page page) {
    Path output = request.outputDirectory().resolve(page.outputPath());
    try {
      return Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)
          && Sha256.hex(Files.readAllBytes(output)).equals(page.outputDigest());
    } catch (IOException e) {
      return false;
    }
  }
}
