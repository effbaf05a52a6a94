package dev.htmlize.engine.testplugins;

import dev.htmlize.goplugin.serve.Serve;
import dev.htmlize.goplugin.serve.ServeConfig;
import dev.htmlize.plugin.HtmlizeProtocol;
import dev.htmlize.plugin.proto.ConfigureRequest;
import dev.htmlize.plugin.proto.ConfigureResponse;
import dev.htmlize.plugin.proto.HooksRequest;
import dev.htmlize.plugin.proto.HooksResponse;
import dev.htmlize.plugin.proto.HtmlizerGrpc;
import dev.htmlize.plugin.proto.ProcessRolesRequest;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A test plugin, written without the SDK, that answers {@code ProcessRoles} for {@code :latin1:} with bytes that are
 * not UTF-8 in a proto3 {@code string} field: the response is built by hand (field 1, length, the text in ISO-8859-1),
 * since no protobuf library writes such a message.
 */
public final class InvalidUtf8Plugin extends HtmlizerGrpc.HtmlizerImplBase {
  public static void main(String[] args) {
    ServerServiceDefinition generated = new InvalidUtf8Plugin().bindService();
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(HtmlizerGrpc.SERVICE_NAME);
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      if (!method.getMethodDescriptor().getFullMethodName()
          .equals(HtmlizerGrpc.getProcessRolesMethod().getFullMethodName())) {
        service.addMethod(method);
      }
    }
    MethodDescriptor<ProcessRolesRequest, byte[]> processRoles = HtmlizerGrpc.getProcessRolesMethod()
        .toBuilder(HtmlizerGrpc.getProcessRolesMethod().getRequestMarshaller(), new RawBytes()).build();
    service.addMethod(processRoles, ServerCalls.asyncUnaryCall(InvalidUtf8Plugin::processRolesRaw));
    ServerServiceDefinition definition = service.build();
    BindableService bindable = () -> definition;
    Serve.serve(ServeConfig.builder(HtmlizeProtocol.HANDSHAKE)
        .plugins(HtmlizeProtocol.PROTOCOL_VERSION, bindable).build());
  }

  @Override
  public void hooks(HooksRequest request, StreamObserver<HooksResponse> responses) {
    responses.onNext(HooksResponse.newBuilder().addHooks("role:latin1").build());
    responses.onCompleted();
  }

  @Override
  public void configure(ConfigureRequest request, StreamObserver<ConfigureResponse> responses) {
    responses.onNext(ConfigureResponse.getDefaultInstance());
    responses.onCompleted();
  }

  /** One {@code html} string per role: {@code <i>VALUE é</i>} in ISO-8859-1, where é is the lone byte 0xE9. */
  private static void processRolesRaw(ProcessRolesRequest request, StreamObserver<byte[]> responses) {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (int i = 0; i < request.getRolesCount(); i++) {
      byte[] html = ("<i>" + request.getRoles(i).getValue() + " \u00e9</i>")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      message.write(0x0a); // field 1, length-delimited
      message.write(html.length); // under 128: one varint byte
      message.write(html, 0, html.length);
    }
    responses.onNext(message.toByteArray());
    responses.onCompleted();
  }

  /** Writes a response's bytes as they are. */
  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
