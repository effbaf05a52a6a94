package dev.htmlize.goplugin.host;

/**
 * Where the bytes a plugin writes to its stdout and stderr after the handshake go, when the plugin streams them
 * through {@code plugin.GRPCStdio}. Chunks arrive unchanged: no framing, no added newlines. Called on a transport
 * thread; an implementation must not block.
 */
public interface StdioSink {
  /** A sink that drops everything (go-plugin's default). */
  StdioSink DISCARD = new StdioSink() {
    @Override
    public void stdout(byte[] data) {
    }

    @Override
    public void stderr(byte[] data) {
    }
  };

  void stdout(byte[] data);

  void stderr(byte[] data);
}
