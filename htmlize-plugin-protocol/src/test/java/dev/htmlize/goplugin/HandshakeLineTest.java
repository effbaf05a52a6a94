package dev.htmlize.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.htmlize.goplugin.HandshakeLine.MalformedHandshakeException;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeLineTest {
  @Test
  void parsesTheLineOfAGoPluginWithoutTls() throws Exception {
    HandshakeLine line = HandshakeLine.parse("1|3|unix|/tmp/plugin3903371155|grpc|\n");

    assertThat(line.coreVersion()).isEqualTo(1);
    assertThat(line.appVersion()).isEqualTo(3);
    assertThat(line.network()).isEqualTo(Network.UNIX);
    assertThat(line.address()).isEqualTo("/tmp/plugin3903371155");
    assertThat(line.protocol()).isEqualTo("grpc");
    assertThat(line.serverCertDer()).isEmpty();
    assertThat(line.multiplex()).isEmpty();
  }

  @Test
  void acceptsFiveFieldsAsThePythonExamplePrintsThem() throws Exception {
    HandshakeLine line = HandshakeLine.parse("1|1|tcp|127.0.0.1:1234|grpc");

    assertThat(line.network()).isEqualTo(Network.TCP);
    assertThat(line.address()).isEqualTo("127.0.0.1:1234");
  }

  @Test
  void takesAMissingProtocolAsNetRpc() throws Exception {
    assertThat(HandshakeLine.parse("1|1|tcp|:1234").protocol()).isEqualTo("netrpc");
  }

  @Test
  void toleratesCrLf() throws Exception {
    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p|grpc|\r\n").address()).isEqualTo("/tmp/p");
  }

  @Test
  void decodesUnpaddedAndPaddedCertificates() throws Exception {
    byte[] der = AutoMtls.generate().certificateDer();
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(der);
    String padded = Base64.getEncoder().encodeToString(der);

    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p|grpc|" + unpadded).serverCertDer()).contains(der);
    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p|grpc|" + padded).serverCertDer()).contains(der);
  }

  @Test
  void ignoresAShortCertificateFieldAsGoPluginDoes() throws Exception {
    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p|grpc||true").serverCertDer()).isEmpty();
  }

  @Test
  void keepsField7() throws Exception {
    assertThat(HandshakeLine.parse("1|1|unix|/tmp/p|grpc||true").multiplex()).contains("true");
  }

  @Test
  void formatsWhatItParses() throws Exception {
    byte[] der = AutoMtls.generate().certificateDer();
    HandshakeLine line = new HandshakeLine(1, 2, Network.TCP, "127.0.0.1:10000", "grpc", Optional.of(der),
        Optional.empty());

    String text = line.format();

    assertThat(text).startsWith("1|2|tcp|127.0.0.1:10000|grpc|").doesNotContain("=");
    assertThat(HandshakeLine.parse(text).serverCertDer()).contains(der);
    assertThat(new HandshakeLine(1, 1, Network.UNIX, "/s", "grpc", Optional.empty(), Optional.of("false")).format())
        .isEqualTo("1|1|unix|/s|grpc||false");
  }

  @Test
  void rejectsGarbageQuotingIt() {
    assertThatThrownBy(() -> HandshakeLine.parse("hello world"))
        .isInstanceOf(MalformedHandshakeException.class)
        .hasMessageContaining("\"hello world\"");
  }

  @Test
  void rejectsAJvmWarning() {
    assertThatThrownBy(() -> HandshakeLine.parse(
        "[0.005s][warning][pagesize] UseLargePages disabled, no large pages configured and available on the system."))
        .isInstanceOf(MalformedHandshakeException.class);
  }

  @Test
  void rejectsAnotherCoreVersion() {
    assertThatThrownBy(() -> HandshakeLine.parse("2|1|unix|/tmp/p|grpc|"))
        .hasMessageContaining("incompatible core protocol version 2");
  }

  @Test
  void rejectsAnUnknownNetworkAndABadVersion() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|udp|/tmp/p|grpc|")).hasMessageContaining("unknown network");
    assertThatThrownBy(() -> HandshakeLine.parse("1|x|unix|/tmp/p|grpc|"))
        .hasMessageContaining("app protocol version");
  }

  @Test
  void rejectsACertificateThatIsNotBase64() {
    assertThatThrownBy(() -> HandshakeLine.parse("1|1|unix|/tmp/p|grpc|" + "!".repeat(60)))
        .hasMessageContaining("not base64");
  }

  @Test
  void quotesControlCharactersAndCutsLongText() {
    assertThat(HandshakeLine.quote("a\u001bb")).isEqualTo("\"a\\u001bb\"");
    assertThat(HandshakeLine.quote("x".repeat(500))).hasSize(203);
  }
}
