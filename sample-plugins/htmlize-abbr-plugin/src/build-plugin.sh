#!/bin/sh
# Builds the Python plugin into $1: the script, beside the SDK (htmlize_plugin, with its stubs) that
# htmlize-plugin-python built into its target/python (its zip's package, with the stubs python3 -m htmlize_plugin.stubs
# made).
set -eu
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
sdk="$here/../../../htmlize-plugin-python/target/python/htmlize_plugin"
if [ ! -f "$sdk/__init__.py" ]; then
  echo "build-plugin.sh: $sdk is not built; build htmlize-plugin-python first (./dev/maven install -pl htmlize-plugin-python)" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
cp -R "$sdk" "$out/"
find "$out/htmlize_plugin" -name __pycache__ -prune -exec rm -rf {} +
cp "$here/main/python/abbr_plugin.py" "$out/"
chmod 755 "$out/abbr_plugin.py"
