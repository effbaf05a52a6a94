#!/bin/sh
# Generates the Go stubs of htmlize.v1 (Htmlizer and Site) from htmlize-plugin-protocol's htmlizer.proto, the file
# the Java side is built from, with Debian's protoc and protoc-gen-go 1.3 (package protoc-gen-go-1-3, whose
# plugins=grpc writes the services too, matching the gRPC and go-plugin that Debian builds with). The import path is
# dev.htmlize/htmlize/v1 (htmlizer.proto names no Go package); the package is htmlize_v1, as protoc-gen-go names it.
#
# The stubs are committed, at src/dev.htmlize/htmlize/v1/htmlizer.pb.go, so that the package builds anywhere
# without protoc. After changing htmlizer.proto, regenerate them from the repository's root with
#
#   sh htmlize-plugin-go/src/generate-stubs.sh
#
# and commit the result. With a directory argument, the stubs go to DIR/htmlizer.pb.go instead: the module's build
# does that and fails when they differ from the committed ones (src/build-go.sh check-stubs).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
protocol="$here/../../htmlize-plugin-protocol/src/main/protobuf"
out="${1:-$here/dev.htmlize/htmlize/v1}"
for tool in protoc protoc-gen-go; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "generate-stubs.sh: $tool is missing; dev/install-test-deps installs it" >&2
    exit 1
  }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
protoc -I "$protocol" \
  --go_out="plugins=grpc,paths=source_relative,Mhtmlize/v1/htmlizer.proto=dev.htmlize/htmlize/v1:$work" \
  htmlize/v1/htmlizer.proto
mkdir -p "$out"
cp "$work/htmlize/v1/htmlizer.pb.go" "$out/htmlizer.pb.go"
