package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of strict decoding: valid UTF-8 reads back as written (a byte order mark dropped, line ends made
 * {@code \n}); bytes that are not UTF-8, put anywhere, are an error naming exactly their byte offset and line.
 *
 * <p>A normal test run replays the inputs under {@code SourceTextFuzzTestInputs/<method>/} in the test resources;
 * {@code dev/fuzz} fuzzes each method in turn.
 */
class SourceTextFuzzTest {
  /** Sequences that are never valid UTF-8 at the start of a character, followed by an ASCII letter. */
  private static final List<int[]> INVALID = List.of(new int[] {0x80}, new int[] {0xbf}, new int[] {0xc0, 0x80},
      new int[] {0xc1, 0xbf}, new int[] {0xe0, 0x80, 0x80}, new int[] {0xed, 0xa0, 0x80}, new int[] {0xf0, 0x80},
      new int[] {0xf4, 0x90, 0x80, 0x80}, new int[] {0xf5}, new int[] {0xff}, new int[] {0xfe}, new int[] {0xc3},
      new int[] {0xe2, 0x82}, new int[] {0xf0, 0x9f, 0x98});

  @FuzzTest
  void validUtf8ReadsBackAsWritten(FuzzedDataProvider data) throws Exception {
    String text = text(data.consumeRemainingAsString());

    String decoded = SourceText.decode(("\uFEFF" + text).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);

    assertThat(decoded).isEqualTo(text.replace("\r\n", "\n").replace('\r', '\n'));
  }

  @FuzzTest
  void invalidBytesAreNamedByTheirOffsetAndLine(FuzzedDataProvider data) {
    int[] bad = data.pickValue(INVALID);
    String before = text(data.consumeString(200));
    String after = text(data.consumeRemainingAsString());
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("x" + after).getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(head, head.length + bad.length + tail.length);
    for (int i = 0; i < bad.length; i++) {
      bytes[head.length + i] = (byte) bad[i];
    }
    System.arraycopy(tail, 0, bytes, head.length + bad.length, tail.length);
    // Lines as the rest of the engine counts them: CRLF and a lone CR end a line too.
    int line = (int) before.replace("\r\n", "\n").replace('\r', '\n').chars().filter(c -> c == '\n').count() + 1;

    assertThatThrownBy(() -> SourceText.decode(bytes, StandardCharsets.UTF_8))
        .isInstanceOf(SourceLineException.class)
        .hasMessageStartingWith("bytes that are not valid UTF-8 at byte offset " + head.length + " (0x"
            + String.format("%02x", bad[0]) + ")")
        .satisfies(e -> assertThat(((SourceLineException) e).line()).isEqualTo(line));
  }

  /** Found by {@link #invalidBytesAreNamedByTheirOffsetAndLine}: only line feeds were counted. */
  @Test
  void regressionLinesEndedByCarriageReturnsAreCounted() {
    byte[] bytes = {'a', '\r', 'b', '\r', '\n', 'c', '\r', (byte) 0xff};

    assertThatThrownBy(() -> SourceText.decode(bytes, StandardCharsets.UTF_8))
        .satisfies(e -> assertThat(((SourceLineException) e).line()).isEqualTo(4));
  }

  /** Decoded text: no unpaired surrogates, and no NUL (refused as binary). */
  private static String text(String fuzzed) {
    return fuzzed.codePoints().filter(cp -> cp != 0 && (cp < 0xd800 || cp > 0xdfff))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
