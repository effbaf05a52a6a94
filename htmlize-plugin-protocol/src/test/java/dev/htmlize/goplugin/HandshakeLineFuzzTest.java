package dev.htmlize.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.htmlize.goplugin.HandshakeLine.MalformedHandshakeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of the handshake-line parser: whatever a plugin prints first, the host gets a line or the one documented
 * exception with a readable message; what {@link HandshakeLine#format()} writes parses back; version fields are read
 * as go-plugin reads them ({@code strconv.Atoi}: an optional sign and ASCII digits, nothing else).
 *
 * <p>A normal test run replays the inputs under {@code HandshakeLineFuzzTestInputs/<method>/} in the test resources;
 * {@code dev/fuzz} fuzzes each method in turn.
 */
class HandshakeLineFuzzTest {
  private static final Pattern GO_ATOI = Pattern.compile("[+-]?[0-9]+");
  private static final List<String> FIELDS = List.of("1", "2", "0", "-1", "+1", " 1", "01", "\u0661",
      "99999999999999999999", "unix", "tcp", "TCP", "udp", "", "grpc", "netrpc", "/tmp/plugin123", "127.0.0.1:1234",
      "true", "false", "\r", "\u0000");
  private static final List<String> VERSIONS = List.of("1", "+1", "-1", "01", "0001", " 1", "1 ", "\u00a01",
      "2147483647", "2147483648", "-2147483648", "-2147483649", "99999999999999999999", "+", "-", "", "\u0661",
      "\uff11");

  @FuzzTest
  void anyLineParsesOrFailsWithTheDocumentedExceptionAndAReadableMessage(FuzzedDataProvider data) {
    String line = firstLine(data);
    try {
      HandshakeLine parsed = HandshakeLine.parse(line);
      assertThat(parsed.coreVersion()).isEqualTo(GoPluginEnv.CORE_PROTOCOL_VERSION);
      assertThat(parsed.address()).isNotEmpty().doesNotContain("|");
    } catch (MalformedHandshakeException e) {
      // One line for the build log, short enough to read: long input is cut and control characters are escaped.
      assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]").hasSizeLessThan(600);
    }
  }

  @FuzzTest
  void whatFormatWritesParsesBack(FuzzedDataProvider data) throws Exception {
    HandshakeLine line = handshake(data);

    HandshakeLine parsed = HandshakeLine.parse(line.format() + "\n");

    assertThat(parsed.coreVersion()).isEqualTo(line.coreVersion());
    assertThat(parsed.appVersion()).isEqualTo(line.appVersion());
    assertThat(parsed.network()).isEqualTo(line.network());
    assertThat(parsed.address()).isEqualTo(line.address());
    assertThat(parsed.protocol()).isEqualTo(line.protocol());
    assertThat(parsed.serverCertDer().map(Base64.getEncoder()::encodeToString))
        .isEqualTo(line.serverCertDer().map(Base64.getEncoder()::encodeToString));
    assertThat(parsed.multiplex()).isEqualTo(line.multiplex());
  }

  @FuzzTest
  void versionFieldsAreReadAsGoPluginReadsThem(FuzzedDataProvider data) {
    String field = versionField(data);

    // The core version starts the line, which go-plugin trims first (strings.TrimSpace).
    String trimmed = goTrimLeadingSpace(field);
    boolean goAcceptsCore = GO_ATOI.matcher(trimmed).matches() && new BigInteger(trimmed).equals(BigInteger.ONE);
    String core = field + "|1|unix|/tmp/p|grpc|";
    if (goAcceptsCore) {
      assertThat(parse(core)).isPresent();
    } else {
      assertThatThrownBy(() -> HandshakeLine.parse(core)).isInstanceOf(MalformedHandshakeException.class);
    }

    boolean goAcceptsApp = GO_ATOI.matcher(field).matches() && new BigInteger(field).bitLength() < 32;
    String app = "1|" + field + "|unix|/tmp/p|grpc|";
    if (goAcceptsApp) {
      assertThat(parse(app)).map(HandshakeLine::appVersion).contains(new BigInteger(field).intValueExact());
    } else {
      assertThatThrownBy(() -> HandshakeLine.parse(app)).isInstanceOf(MalformedHandshakeException.class);
    }
  }

  /**
   * Found by {@link #versionFieldsAreReadAsGoPluginReadsThem} (the app version): Java's parseInt reads any Unicode
   * digit.
   */
  @Test
  void regressionNonAsciiDigitsAreNoVersion() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|\u0661|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class).hasMessageContaining("app protocol version");
    assertThatThrownBy(() -> HandshakeLine.parse("\uff11|1|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class).hasMessageContaining("core protocol version");
  }

  /**
   * Found by {@link #versionFieldsAreReadAsGoPluginReadsThem} (the core version): a field with spaces around it was
   * read.
   */
  @Test
  void regressionSpacesInsideAVersionFieldAreNoVersion() {
    assertThatThrownBy(() -> HandshakeLine.parse("1| 1|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class);
    assertThatThrownBy(() -> HandshakeLine.parse("1 |1|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class);
  }

  /**
   * Found by {@link #anyLineParsesOrFailsWithTheDocumentedExceptionAndAReadableMessage}: quoting cut the text at 200
   * characters before escaping, so a line of control characters made a 1,200-character message (2,400 when quoted
   * twice).
   */
  @Test
  void regressionALineOfControlCharactersGivesAShortMessage() {
    assertThatThrownBy(() -> HandshakeLine.parse("1111111" + "\u001b".repeat(1000)))
        .isInstanceOf(MalformedHandshakeException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(250).endsWith("\"…"));
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|" + "\u001b".repeat(1000) + "|/tmp/p"))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500).contains("unknown network"));
  }

  /**
   * Found by {@link #versionFieldsAreReadAsGoPluginReadsThem} (the core version): the line was trimmed as Java trims,
   * not as Go does.
   */
  @Test
  void regressionTheLineIsTrimmedAsGoTrimsIt() throws Exception {
    assertThat(HandshakeLine.parse("\u00a01|1|unix|/tmp/p|grpc|\u2028").coreVersion()).isEqualTo(1);
    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p\u001f").address()).isEqualTo("/tmp/p\u001f");
  }

  /** Go's unicode.IsSpace, from its table: what strings.TrimSpace removes. */
  private static final String GO_WHITE_SPACE = "\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
      + "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

  private static String goTrimLeadingSpace(String text) {
    int i = 0;
    while (i < text.length() && GO_WHITE_SPACE.indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return text.substring(i);
  }

  private static String goTrimTrailingSpace(String text) {
    int end = text.length();
    while (end > 0 && GO_WHITE_SPACE.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(0, end);
  }

  private static Optional<HandshakeLine> parse(String line) {
    try {
      return Optional.of(HandshakeLine.parse(line));
    } catch (MalformedHandshakeException e) {
      throw new AssertionError("go-plugin accepts " + HandshakeLine.quote(line) + " but this parser says: "
          + e.getMessage(), e);
    }
  }

  /** Anything a plugin may print first: fields joined with {@code |}, a long repeated run, or any text. */
  private static String firstLine(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 2)) {
      case 0 -> {
        List<String> fields = new ArrayList<>();
        for (int n = data.consumeInt(0, 9); n > 0; n--) {
          fields.add(switch (data.consumeInt(0, 3)) {
            case 0 -> data.pickValue(FIELDS);
            case 1 -> data.consumeString(20);
            case 2 -> Base64.getEncoder().withoutPadding().encodeToString(data.consumeBytes(300));
            default -> data.consumeAsciiString(400);
          });
        }
        return String.join("|", fields);
      }
      case 1 -> {
        // Long lines: a few characters (control characters, say) repeated.
        return data.consumeString(8).repeat(data.consumeInt(0, 1_000));
      }
      default -> {
        return data.consumeRemainingAsString();
      }
    }
  }

  private static HandshakeLine handshake(FuzzedDataProvider data) {
    int app = data.consumeInt();
    Network network = data.pickValue(Network.values());
    String address = noBar(data.consumeString(60));
    String protocol = data.consumeBoolean() ? data.pickValue(List.of("grpc", "netrpc", "")) : noBar(
        data.consumeString(10));
    // go-plugin ignores a certificate field of 50 characters or fewer, so a certificate is at least 38 bytes.
    Optional<byte[]> cert = Optional.empty();
    if (data.consumeBoolean()) {
      byte[] der = data.consumeBytes(1500);
      cert = Optional.of(Arrays.copyOf(der, Math.max(38, der.length)));
    }
    // The last field ends the line, which is trimmed: its trailing blanks are not part of it.
    Optional<String> mux = data.consumeBoolean() ? Optional.of(goTrimTrailingSpace(noBar(data.consumeString(10))))
        : Optional.empty();
    return new HandshakeLine(GoPluginEnv.CORE_PROTOCOL_VERSION, app, network, address.isEmpty() ? "a" : address,
        protocol, cert, mux);
  }

  private static String noBar(String text) {
    return text.replace("|", "").replace("\n", "").replace("\r", "");
  }

  /** One field of a line: never a {@code |}, which would make it two. */
  private static String versionField(FuzzedDataProvider data) {
    return (switch (data.consumeInt(0, 3)) {
      case 0 -> data.pickValue(VERSIONS);
      case 1 -> String.valueOf(data.consumeInt());
      case 2 -> {
        StringBuilder field = new StringBuilder();
        String chars = "0123456789+- \t\u0661\uff11\u0967x\u00a0\u0085\u001f\u2028\u3000\u180e";
        for (int n = data.consumeInt(0, 12); n > 0; n--) {
          field.append(chars.charAt(data.consumeInt(0, chars.length() - 1)));
        }
        yield field.toString();
      }
      default -> data.consumeRemainingAsString();
    }).replace("|", "");
  }
}
