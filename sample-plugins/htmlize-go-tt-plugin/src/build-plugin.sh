#!/bin/sh
# Builds the Go plugin into $1/htmlize-go-tt-plugin, offline, in GOPATH mode, with Debian's Go, go-plugin 1.0.1 and
# gRPC from /usr/share/gocode, and the htmlize SDK (dev.htmlize/htmlize, with its committed stubs) from
# htmlize-plugin-go, which is a GOPATH root. With "test" as $2, it runs gofmt, go vet and go test instead.
set -eu
out="$(mkdir -p "$1" && cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
sdk="$(cd "$here/../../../htmlize-plugin-go" && pwd)"
command -v go >/dev/null 2>&1 || {
  echo "build-plugin.sh: go is missing; dev/install-test-deps installs it" >&2
  exit 1
}
export GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$sdk:/usr/share/gocode"
cd "$here/main/go"
if [ "${2:-}" = test ]; then
  unformatted="$(gofmt -l .)"
  if [ -n "$unformatted" ]; then
    echo "build-plugin.sh: not formatted with gofmt: $unformatted" >&2
    exit 1
  fi
  go vet .
  go test -count=1 .
  exit 0
fi
rm -rf "$out/gopath" "$out/htmlize-go-tt-plugin"
go build -trimpath -o "$out/htmlize-go-tt-plugin" main.go
