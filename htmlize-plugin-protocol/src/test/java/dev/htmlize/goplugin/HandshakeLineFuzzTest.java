package dev.htmlize.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.HandshakeLine.MalformedHandshakeException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * Fuzz tests of the handshake-line parser: whatever a plugin prints first, the host gets a line or the one documented
 * exception with a readable message; what {@link HandshakeLine#format()} writes parses back; version fields are read
 * as go-plugin reads them ({@code strconv.Atoi}: an optional sign and ASCII digits, nothing else).
 */
class HandshakeLineFuzzTest {
  private static final Pattern GO_ATOI = Pattern.compile("[+-]?[0-9]+");

  @Property
  void anyLineParsesOrFailsWithTheDocumentedExceptionAndAReadableMessage(@ForAll("firstLines") String line) {
    try {
      HandshakeLine parsed = HandshakeLine.parse(line);
      assertThat(parsed.coreVersion()).isEqualTo(GoPluginEnv.CORE_PROTOCOL_VERSION);
      assertThat(parsed.address()).isNotEmpty().doesNotContain("|");
    } catch (MalformedHandshakeException e) {
      // One line for the build log, short enough to read: long input is cut and control characters are escaped.
      assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f\\x7f]").hasSizeLessThan(600);
    }
  }

  @Property
  void whatFormatWritesParsesBack(@ForAll("handshakes") HandshakeLine line) throws Exception {
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

  @Property
  void theCoreVersionIsReadAsGoPluginReadsIt(@ForAll("versionFields") String field) {
    // The core version starts the line, which go-plugin trims first (strings.TrimSpace).
    String trimmed = goTrimLeadingSpace(field);
    boolean goAccepts = GO_ATOI.matcher(trimmed).matches() && new BigInteger(trimmed).equals(BigInteger.ONE);
    String line = field + "|1|unix|/tmp/p|grpc|";

    if (goAccepts) {
      assertThat(parse(line)).isPresent();
    } else {
      assertThatThrownBy(() -> HandshakeLine.parse(line)).isInstanceOf(MalformedHandshakeException.class);
    }
  }

  @Property
  void theAppVersionIsReadAsGoPluginReadsIt(@ForAll("versionFields") String field) {
    boolean goAccepts = GO_ATOI.matcher(field).matches() && new BigInteger(field).bitLength() < 32;
    String line = "1|" + field + "|unix|/tmp/p|grpc|";

    if (goAccepts) {
      assertThat(parse(line)).map(HandshakeLine::appVersion).contains(new BigInteger(field).intValueExact());
    } else {
      assertThatThrownBy(() -> HandshakeLine.parse(line)).isInstanceOf(MalformedHandshakeException.class);
    }
  }

  /** Found by {@link #theAppVersionIsReadAsGoPluginReadsIt}: Java's parseInt reads any Unicode digit. */
  @Example
  void regressionNonAsciiDigitsAreNoVersion() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|\u0661|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class).hasMessageContaining("app protocol version");
    assertThatThrownBy(() -> HandshakeLine.parse("\uff11|1|unix|/tmp/p|grpc|"))
        .isInstanceOf(MalformedHandshakeException.class).hasMessageContaining("core protocol version");
  }

  /** Found by {@link #theCoreVersionIsReadAsGoPluginReadsIt}: a field with spaces around it was read. */
  @Example
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
  @Example
  void regressionALineOfControlCharactersGivesAShortMessage() {
    assertThatThrownBy(() -> HandshakeLine.parse("1111111" + "\u001b".repeat(1000)))
        .isInstanceOf(MalformedHandshakeException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(250).endsWith("\"…"));
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|" + "\u001b".repeat(1000) + "|/tmp/p"))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500).contains("unknown network"));
  }

  /** Found by {@link #theCoreVersionIsReadAsGoPluginReadsIt}: the line was trimmed as Java trims, not as Go does. */
  @Example
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

  private static Optional<HandshakeLine> parse(String line) {
    try {
      return Optional.of(HandshakeLine.parse(line));
    } catch (MalformedHandshakeException e) {
      throw new AssertionError("go-plugin accepts " + HandshakeLine.quote(line) + " but this parser says: "
          + e.getMessage(), e);
    }
  }

  @Provide
  Arbitrary<String> firstLines() {
    Arbitrary<String> field = Arbitraries.oneOf(
        Arbitraries.of("1", "2", "0", "-1", "+1", " 1", "01", "\u0661", "99999999999999999999", "unix", "tcp", "TCP",
            "udp", "", "grpc", "netrpc", "/tmp/plugin123", "127.0.0.1:1234", "true", "false", "\r", "\u0000"),
        Arbitraries.strings().ofMaxLength(20),
        Arbitraries.strings().withCharRange('A', 'z').withChars('+', '/', '=', '!').ofMinLength(40).ofMaxLength(400),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
            .map(b -> Base64.getEncoder().withoutPadding().encodeToString(b)));
    Arbitrary<String> structured = field.list().ofMinSize(0).ofMaxSize(9).map(fields -> String.join("|", fields));
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(300);
    Arbitrary<String> long_ = Arbitraries.strings().withChars('1', '|', 'x', ' ', '\u001b').ofMinLength(1000)
        .ofMaxLength(5_000);
    return Arbitraries.frequencyOf(Tuple.of(6, structured), Tuple.of(3, anything), Tuple.of(1, long_));
  }

  @Provide
  Arbitrary<HandshakeLine> handshakes() {
    StringArbitrary noBar = Arbitraries.strings().all().excludeChars('|', '\n', '\r');
    Arbitrary<String> address = noBar.ofMinLength(1).ofMaxLength(60);
    Arbitrary<String> protocol = Arbitraries.oneOf(Arbitraries.of("grpc", "netrpc", ""), noBar.ofMaxLength(10));
    // go-plugin ignores a certificate field of 50 characters or fewer, so a certificate is at least 38 bytes.
    Arbitrary<Optional<byte[]>> cert = Arbitraries.bytes().array(byte[].class).ofMinSize(38).ofMaxSize(1500)
        .optional();
    // The last field ends the line, which is trimmed: its trailing blanks are not part of it.
    Arbitrary<Optional<String>> mux = noBar.ofMaxLength(10).filter(s -> s.stripTrailing().equals(s)).optional();
    return Combinators.combine(Arbitraries.integers(), Arbitraries.of(Network.values()), address, protocol, cert,
            mux)
        .as((app, network, addr, proto, der, mx) -> new HandshakeLine(GoPluginEnv.CORE_PROTOCOL_VERSION, app, network,
            addr, proto, der, mx));
  }

  @Provide
  Arbitrary<String> versionFields() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("0123456789+- \t\u0661\uff11\u0967x\u00a0\u0085\u001f\u2028\u3000\u180e").ofMinLength(0).ofMaxLength(12),
        Arbitraries.of("1", "+1", "-1", "01", "0001", " 1", "1 ", "\u00a01", "2147483647", "2147483648",
            "-2147483648", "-2147483649", "99999999999999999999", "+", "-", "", "\u0661", "\uff11"),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.strings().all().ofMaxLength(8));
  }
}
