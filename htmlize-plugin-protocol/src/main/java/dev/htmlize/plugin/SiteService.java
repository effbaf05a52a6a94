package dev.htmlize.plugin;

import dev.htmlize.plugin.proto.GetPageRequest;
import dev.htmlize.plugin.proto.GetPageResponse;
import dev.htmlize.plugin.proto.ListPagesRequest;
import dev.htmlize.plugin.proto.ListPagesResponse;
import dev.htmlize.plugin.proto.SiteGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host side of {@code htmlize.v1.Site}: serves a fixed set of pages. The pages are asked for once, on the first
 * call, so a host may offer the service before it has read every page (a call then waits for the supplier).
 */
public final class SiteService extends SiteGrpc.SiteImplBase {
  private final Supplier<? extends Collection<Post>> source;
  private volatile Index index;

  private record Index(ListPagesResponse all, Map<String, dev.htmlize.plugin.proto.Post> bySource,
                       Map<Long, dev.htmlize.plugin.proto.Post> byId) {
  }

  /** @param pages every page of the site; called once, from the first call's thread */
  public SiteService(Supplier<? extends Collection<Post>> pages) {
    this.source = pages;
  }

  @Override
  public void listPages(ListPagesRequest request, StreamObserver<ListPagesResponse> responses) {
    Index site = indexOrFail(responses);
    if (site != null) {
      responses.onNext(site.all());
      responses.onCompleted();
    }
  }

  @Override
  public void getPage(GetPageRequest request, StreamObserver<GetPageResponse> responses) {
    if (request.getKeyCase() == GetPageRequest.KeyCase.KEY_NOT_SET) {
      responses.onError(Status.INVALID_ARGUMENT.withDescription("GetPage needs a source_path or an id")
          .asRuntimeException());
      return;
    }
    Index site = indexOrFail(responses);
    if (site == null) {
      return;
    }
    dev.htmlize.plugin.proto.Post post = request.getKeyCase() == GetPageRequest.KeyCase.ID
        ? site.byId().get(request.getId()) : site.bySource().get(normalize(request.getSourcePath()));
    GetPageResponse.Builder response = GetPageResponse.newBuilder().setFound(post != null);
    if (post != null) {
      response.setPage(post);
    }
    responses.onNext(response.build());
    responses.onCompleted();
  }

  /** The index, or {@code null} after failing the call when the pages are not available. */
  private Index indexOrFail(StreamObserver<?> responses) {
    try {
      return index();
    } catch (RuntimeException e) {
      responses.onError(unavailable(e));
      return null;
    }
  }

  /** A source path as pages are keyed: {@code /}-separated, without a leading {@code /} or {@code ./}. */
  public static String normalize(String sourcePath) {
    String path = sourcePath.replace('\\', '/');
    while (path.startsWith("/") || path.startsWith("./")) {
      path = path.startsWith("/") ? path.substring(1) : path.substring(2);
    }
    return path;
  }

  private Index index() {
    Index site = index;
    if (site == null) {
      synchronized (this) {
        site = index;
        if (site == null) {
          List<Post> pages = source.get().stream().sorted(Comparator.comparing(Post::sourcePath)).toList();
          ListPagesResponse.Builder all = ListPagesResponse.newBuilder();
          Map<String, dev.htmlize.plugin.proto.Post> bySource = new HashMap<>();
          Map<Long, dev.htmlize.plugin.proto.Post> byId = new HashMap<>();
          for (Post page : pages) {
            dev.htmlize.plugin.proto.Post wire = Protos.toProto(page);
            all.addPages(wire);
            bySource.put(page.sourcePath(), wire);
            byId.put(page.id(), wire);
          }
          site = new Index(all.build(), Map.copyOf(bySource), Map.copyOf(byId));
          index = site;
        }
      }
    }
    return site;
  }

  private static RuntimeException unavailable(RuntimeException e) {
    return Status.UNAVAILABLE.withDescription("the site's pages are not available: " + e.getMessage())
        .asRuntimeException();
  }
}
