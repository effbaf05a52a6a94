package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.plugin.proto.ProcessContentsRequest;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How pages are grouped into batches and calls. */
class BatchPolicyTest {
  @Test
  void batchesGiveEveryRenderThreadAboutTwoAndHoldAtMostSixtyFourPages() {
    List<Integer> pages = IntStream.range(0, 1000).boxed().toList();

    assertThat(BatchPolicy.batches(pages, page -> 100, 2)).hasSize(16).allSatisfy(batch ->
        assertThat(batch).hasSizeLessThanOrEqualTo(BatchPolicy.MAX_PAGES));
    assertThat(BatchPolicy.batches(pages.subList(0, 40), page -> 100, 2)).hasSize(4)
        .allSatisfy(batch -> assertThat(batch).hasSize(10));
    assertThat(BatchPolicy.batches(List.of(), page -> 100, 2)).isEmpty();
  }

  @Test
  void aBatchHoldsAboutAMegabyteUnlessOnePageIsLarger() {
    List<Integer> pages = List.of(400_000, 400_000, 400_000, 3_000_000, 10);

    assertThat(BatchPolicy.batches(pages, page -> page, 1)).containsExactly(List.of(400_000, 400_000),
        List.of(400_000), List.of(3_000_000), List.of(10));
  }

  @Test
  void aCallCarriesOnePageFirstThenWhatThePluginRendersInAFifthOfASecond() {
    List<ProcessContentsRequest> requests = Collections.nCopies(200,
        ProcessContentsRequest.newBuilder().setHtml("x".repeat(100)).build());

    assertThat(BatchPolicy.callEnd(requests, 0, 0)).isEqualTo(1);
    assertThat(BatchPolicy.callEnd(requests, 10, 1_000_000)).isEqualTo(10 + BatchPolicy.MAX_PAGES);
    assertThat(BatchPolicy.callEnd(requests, 0, 40_000_000)).isEqualTo(5);
    assertThat(BatchPolicy.callEnd(requests, 0, 900_000_000)).isEqualTo(1);
    assertThat(BatchPolicy.callEnd(requests, 195, 1)).isEqualTo(200);
  }

  @Test
  void aCallStopsBeforeAMegabyte() {
    List<ProcessContentsRequest> requests = Collections.nCopies(10,
        ProcessContentsRequest.newBuilder().setHtml("x".repeat(300_000)).build());

    assertThat(BatchPolicy.callEnd(requests, 0, 1)).isEqualTo(3);
  }
}
