package dev.htmlize.goplugin.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Python with gRPC ({@code python3-grpcio}, {@code python3-protobuf}) and stubs generated with Debian's
 * {@code protoc} and {@code grpc_python_plugin} from the same {@code .proto} files the Java side is built from.
 *
 * <p>When the tools are missing, tests that need them are skipped, unless the system property
 * {@code htmlize.requireCrossLanguage} is {@code true} (as in CI), which makes them fail instead.
 */
public final class PythonGrpc {
  public static final Path PYTHON = Path.of("/usr/bin/python3");
  public static final Path SCRIPTS = Path.of("src/test/python").toAbsolutePath();

  private PythonGrpc() {
  }

  /** Generates the stubs (once per build) and returns the directory to put on {@code PYTHONPATH}. */
  public static synchronized Path stubs() throws IOException, InterruptedException {
    requireTools();
    Path out = Path.of("target/python-stubs").toAbsolutePath();
    if (Files.exists(out.resolve("goplugin/test/v1/echo_pb2_grpc.py"))) {
      return out;
    }
    Files.createDirectories(out);
    List<String> command = new ArrayList<>(List.of("protoc",
        "-I", Path.of("src/main/protobuf").toAbsolutePath().toString(),
        "-I", Path.of("src/test/protobuf").toAbsolutePath().toString(),
        "-I", Path.of("../htmlize-plugin-python/src/main/proto").toAbsolutePath().normalize().toString(),
        "-I", "/usr/include",
        "--python_out=" + out, "--grpc_python_out=" + out,
        "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
        "plugin/grpc_broker.proto", "plugin/grpc_controller.proto", "plugin/grpc_stdio.proto",
        "goplugin/test/v1/echo.proto", "health/v1/health.proto"));
    Process protoc = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(protoc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assertions.assertTrue(protoc.waitFor(60, TimeUnit.SECONDS) && protoc.exitValue() == 0,
        "protoc failed: " + output);
    return out;
  }

  private static void requireTools() throws IOException, InterruptedException {
    String missing = null;
    if (!Files.isExecutable(PYTHON)) {
      missing = PYTHON + " (python3)";
    } else if (!Files.isExecutable(Path.of("/usr/bin/protoc"))) {
      missing = "protoc (protobuf-compiler)";
    } else if (!Files.isExecutable(Path.of("/usr/bin/grpc_python_plugin"))) {
      missing = "grpc_python_plugin (protobuf-compiler-grpc)";
    } else {
      Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, google.protobuf")
          .redirectErrorStream(true).start();
      check.getInputStream().readAllBytes();
      if (check.waitFor() != 0) {
        missing = "the grpc and protobuf Python modules (python3-grpcio, python3-protobuf)";
      }
    }
    if (missing == null) {
      return;
    }
    String message = "cross-language tests need " + missing + "; dev/install-test-deps installs it";
    if (Boolean.getBoolean("htmlize.requireCrossLanguage")) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }
}
