#!/bin/sh
# The Go steps of the module's build, offline, in GOPATH mode, with Debian's Go, go-plugin 1.0.1 and gRPC from
# /usr/share/gocode; run by Maven where go-plugin is installed. The GOPATH root is htmlize-plugin-go itself (the
# package is its src/dev.htmlize/htmlize).
#
#   build-go.sh check-stubs TARGET  regenerates the stubs into TARGET/stubs and fails if they differ from the
#                                   committed src/dev.htmlize/htmlize/v1/htmlizer.pb.go
#   build-go.sh build TARGET        builds the conformance plugin into TARGET/conformance/htmlize-conformance-plugin
#   build-go.sh test                gofmt, go vet and go test of the package and the conformance plugin
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/.." && pwd)"
command -v go >/dev/null 2>&1 || {
  echo "build-go.sh: go is missing; dev/install-test-deps installs it" >&2
  exit 1
}
export GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$module:/usr/share/gocode"
cd "$module"
case "${1:-}" in
  check-stubs)
    out="$2/stubs"
    rm -rf "$out"
    sh "$here/generate-stubs.sh" "$out"
    committed="$here/dev.htmlize/htmlize/v1/htmlizer.pb.go"
    if ! cmp -s "$out/htmlizer.pb.go" "$committed"; then
      diff -u "$committed" "$out/htmlizer.pb.go" | head -40 >&2 || true
      echo "build-go.sh: $committed is not what htmlizer.proto generates; regenerate it with" \
        "'sh htmlize-plugin-go/src/generate-stubs.sh' and commit it" >&2
      exit 1
    fi
    ;;
  build)
    go build -trimpath -o "$2/conformance/htmlize-conformance-plugin" ./conformance
    ;;
  test)
    unformatted="$(gofmt -l src/dev.htmlize conformance)"
    if [ -n "$unformatted" ]; then
      echo "build-go.sh: not formatted with gofmt: $unformatted" >&2
      exit 1
    fi
    go vet dev.htmlize/htmlize/... ./conformance
    HTMLIZE_HANDSHAKE_PROPERTIES="$module/../htmlize-plugin-protocol/src/main/resources/dev/htmlize/plugin/handshake.properties" \
      go test -count=1 dev.htmlize/htmlize/... ./conformance
    ;;
  *)
    echo "usage: build-go.sh check-stubs TARGET | build TARGET | test" >&2
    exit 2
    ;;
esac
