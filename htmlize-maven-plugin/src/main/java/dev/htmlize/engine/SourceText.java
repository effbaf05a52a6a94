package dev.htmlize.engine;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes a source file strictly: bytes that are not valid in the source encoding are an error that names the byte
 * offset and the line, rather than a page silently rendered with replacement characters, and so is a NUL character
 * anywhere (binary data). A UTF-8 byte order mark is dropped; line ends become {@code \n}.
 */
final class SourceText {
  private SourceText() {
  }

  static String decode(byte[] bytes, Charset charset) throws SourceLineException {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L,
        (long) (bytes.length * (double) decoder.maxCharsPerByte()) + 16));
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      // Lines as the engine reads them: LF, CRLF and a lone CR each end one (these bytes mean the same in the
      // ASCII-compatible encodings that sources use).
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
        }
      }
      throw new SourceLineException("bytes that are not valid " + charset.name() + " at byte offset " + offset
          + " (0x" + String.format("%02x", bytes[offset] & 0xff) + "); save the file as " + charset.name()
          + " or set the encoding parameter", line);
    }
    out.flip();
    String text = out.toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      // Beyond the first 8 KiB that looksBinary reads: Markdown would turn it into U+FFFD, the text format pass it on.
      int offset = charset.canEncode() ? charset.encode(CharBuffer.wrap(text, 0, nul)).remaining() : nul;
      throw new SourceLineException("a NUL character at byte offset " + offset + ": binary data (or text in "
          + "another encoding, such as UTF-16), not markup; exclude the file or set the encoding parameter",
          (int) text.substring(0, nul).replace("\r\n", "\n").chars().filter(c -> c == '\n' || c == '\r').count()
              + 1);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
  }

  /** Whether the bytes look like a binary file rather than text: a NUL byte in the first 8 KiB. */
  static boolean looksBinary(byte[] bytes) {
    int end = Math.min(bytes.length, 8192);
    for (int i = 0; i < end; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

}
