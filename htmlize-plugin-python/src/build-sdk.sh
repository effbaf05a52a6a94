#!/bin/sh
# Builds the Python SDK into $1/htmlize_plugin: its modules, _handshake.py from the one source of the handshake
# (htmlize-plugin-protocol's handshake.properties), and the stubs, generated with Debian's protoc and
# grpc_python_plugin from the same .proto files the Java side is built from (Debian's python3-protobuf needs stubs
# of its own protoc), into $1/htmlize_plugin/_stubs. Nothing generated is kept in the source tree.
set -eu
out="$(mkdir -p "$1" && cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
protocol="$here/../../htmlize-plugin-protocol"
sdk="$out/htmlize_plugin"
rm -rf "$sdk"
mkdir -p "$sdk/_stubs"
cp "$here"/main/python/htmlize_plugin/*.py "$sdk/"
properties="$protocol/src/main/resources/dev/htmlize/plugin/handshake.properties"
value() { sed -n "s/^$1=//p" "$properties"; }
cat > "$sdk/_handshake.py" <<PY
"""htmlize's handshake, generated from htmlize-plugin-protocol's handshake.properties by build-sdk.sh."""
MAGIC_COOKIE_KEY = "$(value magicCookieKey)"
MAGIC_COOKIE_VALUE = "$(value magicCookieValue)"
PROTOCOL_VERSION = $(value protocolVersion)
PY
protoc -I "$protocol/src/main/protobuf" -I "$here/main/proto" -I /usr/include \
  --python_out="$sdk/_stubs" --grpc_python_out="$sdk/_stubs" \
  --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
  htmlize/v1/htmlizer.proto plugin/grpc_controller.proto plugin/grpc_broker.proto health/v1/health.proto
