#!/bin/sh
# Builds the Go plugin into $1/htmlize-go-tt-plugin, offline, in GOPATH mode, with Debian's Go, go-plugin 1.0.1 and
# gRPC from /usr/share/gocode. The stubs of htmlize.v1.Htmlizer are generated first, with Debian's protoc and
# protoc-gen-go 1.3 (plugins=grpc), from the same htmlizer.proto the Java side is built from, into $1/gopath (import
# path dev.htmlize/htmlize/v1). Nothing generated is kept in the source tree.
set -eu
out="$(mkdir -p "$1" && cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
protocol="$here/../../../htmlize-plugin-protocol"
for tool in go protoc protoc-gen-go; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "build-plugin.sh: $tool is missing; dev/install-test-deps installs it" >&2
    exit 1
  }
done
gopath="$out/gopath"
stubs="$gopath/src/dev.htmlize"
rm -rf "$gopath" "$out/htmlize-go-tt-plugin"
mkdir -p "$stubs"
protoc -I "$protocol/src/main/protobuf" \
  --go_out="plugins=grpc,paths=source_relative,Mhtmlize/v1/htmlizer.proto=dev.htmlize/htmlize/v1:$stubs" \
  htmlize/v1/htmlizer.proto
cd "$here/main/go"
GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$gopath:/usr/share/gocode" \
  go build -trimpath -o "$out/htmlize-go-tt-plugin" main.go
