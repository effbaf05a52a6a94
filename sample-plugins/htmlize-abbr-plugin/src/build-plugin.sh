#!/bin/sh
# Builds the Python plugin into $1: the script, beside the SDK (htmlize_plugin, with its stubs) that
# htmlize-plugin-python built into its target/python.
set -eu
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
sdk="$here/../../../htmlize-plugin-python/target/python/htmlize_plugin"
if [ ! -f "$sdk/__init__.py" ]; then
  echo "build-plugin.sh: $sdk is not built; build htmlize-plugin-python first" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
cp -R "$sdk" "$out/"
cp "$here/main/python/abbr_plugin.py" "$out/"
chmod 755 "$out/abbr_plugin.py"
