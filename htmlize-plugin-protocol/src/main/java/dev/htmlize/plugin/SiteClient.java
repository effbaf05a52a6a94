package dev.htmlize.plugin;

import dev.htmlize.plugin.proto.GetPageRequest;
import dev.htmlize.plugin.proto.GetPageResponse;
import dev.htmlize.plugin.proto.ListPagesRequest;
import dev.htmlize.plugin.proto.SiteGrpc;
import io.grpc.Channel;
import java.util.List;
import java.util.Optional;

/** {@link Site} over the host's {@code htmlize.v1.Site} service. */
final class SiteClient implements Site {
  private final SiteGrpc.SiteBlockingStub stub;

  SiteClient(Channel channel) {
    this.stub = SiteGrpc.newBlockingStub(channel);
  }

  @Override
  public List<Post> pages() {
    return stub.listPages(ListPagesRequest.getDefaultInstance()).getPagesList().stream().map(Protos::fromProto)
        .toList();
  }

  @Override
  public Optional<Post> page(String sourcePath) {
    return found(stub.getPage(GetPageRequest.newBuilder().setSourcePath(sourcePath).build()));
  }

  @Override
  public Optional<Post> page(long id) {
    return found(stub.getPage(GetPageRequest.newBuilder().setId(id).build()));
  }

  private static Optional<Post> found(GetPageResponse response) {
    return response.getFound() ? Optional.of(Protos.fromProto(response.getPage())) : Optional.empty();
  }
}
