#!/bin/sh
# Builds the Python plugin into $1: the scripts, and stubs generated with Debian's protoc and grpc_python_plugin
# from the same .proto files the Java side is built from (Debian's python3-protobuf needs stubs of its own protoc).
set -eu
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
protocol="$here/../../../htmlize-plugin-protocol"
rm -rf "$out"
mkdir -p "$out"
protoc -I "$protocol/src/main/protobuf" -I "$protocol/src/test/python/proto" -I /usr/include \
  --python_out="$out" --grpc_python_out="$out" --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
  htmlize/v1/htmlizer.proto plugin/grpc_controller.proto health/v1/health.proto
cp "$here/main/python/htmlize_plugin.py" "$here/main/python/abbr_plugin.py" "$out/"
chmod 755 "$out/abbr_plugin.py"
