package dev.htmlize.goplugin;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The line a plugin prints on stdout once it listens:
 * {@code CORE|APPVER|NETWORK|ADDRESS|PROTOCOL|SERVERCERT[|MUX]}.
 *
 * <p>Parsing follows go-plugin's host: the line is trimmed as Go trims (so {@code \r\n} endings are fine) and split
 * on every {@code |}; at least four fields are required; versions are read as {@code strconv.Atoi} reads them (a
 * sign and ASCII digits, nothing around them); a missing protocol means {@code netrpc}; the certificate field is looked
 * at only when it is longer than 50 characters and is standard base64 of the DER certificate, which go-plugin
 * writes without padding (padding is accepted here too). Field 7 is kept as written; only a host that asked for
 * multiplexing reads it.
 *
 * @param coreVersion     always {@value GoPluginEnv#CORE_PROTOCOL_VERSION}
 * @param appVersion      the application protocol version the plugin chose
 * @param network         where it listens
 * @param address         a socket path for {@code unix}, {@code host:port} for {@code tcp}
 * @param protocol        {@code grpc} or {@code netrpc}
 * @param serverCertDer   the plugin's AutoMTLS certificate (DER), if it sent one
 * @param multiplex       field 7 as written, if present
 */
public record HandshakeLine(
    int coreVersion,
    int appVersion,
    Network network,
    String address,
    String protocol,
    Optional<byte[]> serverCertDer,
    Optional<String> multiplex) {

  /** Protocol name for gRPC plugins. */
  public static final String GRPC = "grpc";
  /** Protocol name a plugin implies when it leaves the field out. */
  public static final String NETRPC = "netrpc";

  private static final int CERT_MIN_LENGTH = 50;
  private static final Pattern ATOI = Pattern.compile("[+-]?[0-9]+");

  /** The line as a plugin prints it, without the newline. Field 7 is written only when present. */
  public String format() {
    StringBuilder line = new StringBuilder()
        .append(coreVersion).append('|')
        .append(appVersion).append('|')
        .append(network.wireName()).append('|')
        .append(address).append('|')
        .append(protocol).append('|')
        .append(serverCertDer.map(der -> Base64.getEncoder().withoutPadding().encodeToString(der)).orElse(""));
    multiplex.ifPresent(mux -> line.append('|').append(mux));
    return line.toString();
  }

  /**
   * Parses a handshake line.
   *
   * @throws MalformedHandshakeException if it is not one, with a message that quotes it
   */
  public static HandshakeLine parse(String rawLine) throws MalformedHandshakeException {
    String line = trimSpace(rawLine);
    String[] parts = line.split("\\|", -1);
    if (parts.length < 4) {
      throw new MalformedHandshakeException("not a go-plugin handshake line: " + quote(line));
    }
    int core = parseInt(parts[0], "core protocol version", line);
    if (core != GoPluginEnv.CORE_PROTOCOL_VERSION) {
      throw new MalformedHandshakeException("incompatible core protocol version " + core + " (this host speaks "
          + GoPluginEnv.CORE_PROTOCOL_VERSION + ") in " + quote(line));
    }
    int app = parseInt(parts[1], "app protocol version", line);
    Network network = Network.fromWireName(parts[2]);
    if (network == null) {
      throw new MalformedHandshakeException("unknown network " + quote(parts[2]) + " (expected unix or tcp) in "
          + quote(line));
    }
    if (parts[3].isEmpty()) {
      throw new MalformedHandshakeException("empty address in " + quote(line));
    }
    String protocol = parts.length >= 5 ? parts[4] : NETRPC;
    Optional<byte[]> cert = Optional.empty();
    if (parts.length >= 6 && parts[5].length() > CERT_MIN_LENGTH) {
      try {
        cert = Optional.of(Base64.getDecoder().decode(parts[5]));
      } catch (IllegalArgumentException e) {
        throw new MalformedHandshakeException("the server certificate in the handshake line is not base64 ("
            + e.getMessage() + ")");
      }
    }
    Optional<String> mux = parts.length >= 7 ? Optional.of(parts[6]) : Optional.empty();
    return new HandshakeLine(core, app, network, parts[3], protocol, cert, mux);
  }

  /**
   * Go's {@code strings.TrimSpace}: trims Unicode White_Space, which differs from {@link String#strip()} (Go trims
   * no-break spaces and U+0085, and keeps U+001C to U+001F).
   */
  private static String trimSpace(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isGoSpace(text.codePointAt(start))) {
      start += Character.charCount(text.codePointAt(start));
    }
    while (end > start && isGoSpace(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    return text.substring(start, end);
  }

  private static boolean isGoSpace(int cp) {
    if (cp <= 0xff) {
      return (cp >= '\t' && cp <= '\r') || cp == ' ' || cp == 0x85 || cp == 0xa0;
    }
    int type = Character.getType(cp);
    return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  private static int parseInt(String field, String what, String line) throws MalformedHandshakeException {
    try {
      // As Go's strconv.Atoi: an optional sign and ASCII digits, no blanks (Integer.parseInt alone reads any
      // Unicode digit).
      if (!ATOI.matcher(field).matches()) {
        throw new NumberFormatException(field);
      }
      return Integer.parseInt(field);
    } catch (NumberFormatException e) {
      throw new MalformedHandshakeException("error parsing " + what + " " + quote(field) + " in " + quote(line));
    }
  }

  /**
   * Quotes text for an error message: control characters escaped, cut to about 200 characters of output (however
   * many escapes the text needs), {@code …} marking a cut.
   */
  public static String quote(String text) {
    final int max = 200;
    StringBuilder out = new StringBuilder("\"");
    int i = 0;
    while (i < text.length() && out.length() <= max) {
      int cp = text.codePointAt(i);
      if (cp == '"' || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (cp < 0x20 || cp == 0x7f) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    out.append('"');
    if (i < text.length()) {
      out.append("…");
    }
    return out.toString();
  }

  /** A first stdout line that is not a valid handshake line. */
  public static final class MalformedHandshakeException extends Exception {
    public MalformedHandshakeException(String message) {
      super(message);
    }
  }
}
