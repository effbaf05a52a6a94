package dev.htmlize.plugin;

import java.util.List;

/** Conversions between the SDK's records and the wire messages of {@code htmlize.v1}. */
public final class Protos {
  private Protos() {
  }

  public static dev.htmlize.plugin.proto.Post toProto(Post post) {
    return dev.htmlize.plugin.proto.Post.newBuilder()
        .setId(post.id())
        .setAuthor(post.author())
        .setTitle(post.title())
        .setSourcePath(post.sourcePath())
        .setOutputPath(post.outputPath())
        .setDate(post.date())
        .addAllTags(post.tags())
        .putAllMetadata(post.metadata())
        .build();
  }

  public static Post fromProto(dev.htmlize.plugin.proto.Post post) {
    return new Post(post.getId(), post.getAuthor(), post.getTitle(), post.getSourcePath(), post.getOutputPath(),
        post.getDate(), post.getTagsList(), post.getMetadataMap());
  }

  public static dev.htmlize.plugin.proto.RoleOccurrence toProto(RoleOccurrence role) {
    return dev.htmlize.plugin.proto.RoleOccurrence.newBuilder()
        .setRole(role.role()).setValue(role.value()).setLine(role.line()).build();
  }

  public static List<RoleOccurrence> fromProto(List<dev.htmlize.plugin.proto.RoleOccurrence> roles) {
    return roles.stream().map(r -> new RoleOccurrence(r.getRole(), r.getValue(), r.getLine())).toList();
  }
}
