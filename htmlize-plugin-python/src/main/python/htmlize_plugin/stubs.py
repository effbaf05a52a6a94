"""Generates the gRPC stubs this package needs, for the Python that runs it: python3 -m htmlize_plugin.stubs

The stubs are generated from the .proto files shipped in htmlize_plugin/proto (the same files the Java side is built
from) into htmlize_plugin/_stubs, replacing what was there, so running it again is harmless. Generated code must fit
the protobuf runtime that loads it, which is why the package ships without stubs. The generator is, in this order:

- protoc and grpc_python_plugin on PATH (Debian: apt-get install protobuf-compiler protobuf-compiler-grpc, which fit
  Debian's python3-protobuf and python3-grpcio);
- grpc_tools.protoc, where it can be imported (pip install grpcio-tools, which fits pip's protobuf and grpcio).

The stubs are checked by loading them with this Python before they replace the old ones. Works without stubs (this
module imports nothing that needs them).
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

PACKAGE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(PACKAGE, "proto")
STUBS = os.path.join(PACKAGE, "_stubs")
# What the SDK imports from the stubs: loaded once before new stubs replace the old ones. The stub directories are
# made regular packages (with __init__.py) so that a module of the same name beside a plugin's script cannot shadow
# them.
_CHECK = ("import grpc; from htmlize.v1 import htmlizer_pb2, htmlizer_pb2_grpc; "
          "from plugin import grpc_broker_pb2_grpc, grpc_controller_pb2_grpc; from health.v1 import health_pb2_grpc")
INSTALL = ("install one of: Debian's protobuf-compiler and protobuf-compiler-grpc (apt-get install protobuf-compiler "
           "protobuf-compiler-grpc, for Debian's python3-protobuf and python3-grpcio), or pip's grpcio-tools "
           "(pip install grpcio-tools, for pip's protobuf and grpcio)")


class StubsError(Exception):
    """The stubs cannot be generated here; the message says what to install."""


def _protos():
    found = []
    for directory, _, files in os.walk(PROTO):
        for name in files:
            if name.endswith(".proto"):
                found.append(os.path.relpath(os.path.join(directory, name), PROTO).replace(os.sep, "/"))
    if not found:
        raise StubsError("no .proto files in %s: this htmlize_plugin is incomplete; unpack it again" % PROTO)
    return sorted(found)


def _runtime():
    """Checks that this Python has the runtimes the stubs need, saying what to install otherwise."""
    missing = []
    for module, debian, pip in (("google.protobuf", "python3-protobuf", "protobuf"), ("grpc", "python3-grpcio",
                                                                                      "grpcio")):
        try:
            __import__(module)
        except ImportError:
            missing.append("%s (Debian: %s; pip: %s)" % (module, debian, pip))
    if missing:
        raise StubsError("%s cannot import %s: install it first" % (sys.executable, ", ".join(missing)))


def _generators():
    """The generators found here, in order of preference: (description, command without its arguments)."""
    found = []
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    if protoc and plugin:
        version = subprocess.run([protoc, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 universal_newlines=True, check=False).stdout.strip()
        found.append(("%s (%s) with %s" % (protoc, version, plugin),
                      [protoc, "--plugin=protoc-gen-grpc_python=" + plugin]))
    try:
        grpc_tools = importlib.util.find_spec("grpc_tools.protoc") is not None
    except ImportError:  # no grpc_tools package at all
        grpc_tools = False
    if grpc_tools:
        found.append(("grpc_tools.protoc of %s" % sys.executable, [sys.executable, "-m", "grpc_tools.protoc"]))
    return found


def _generate(command, protos, into):
    args = command + ["-I" + PROTO, "--python_out=" + into, "--grpc_python_out=" + into] + protos
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                            check=False)
    if result.returncode != 0:
        return "exit status %d: %s" % (result.returncode, result.stdout.strip())
    for directory, _, files in os.walk(into):
        if directory != into and "__init__.py" not in files:
            open(os.path.join(directory, "__init__.py"), "w").close()
    check = subprocess.run([sys.executable, "-c", _CHECK], cwd=into, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, check=False,
                           env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
                                    PYTHONPATH=os.pathsep.join(filter(None, [into, os.environ.get("PYTHONPATH")]))))
    if check.returncode != 0:
        lines = check.stdout.strip().splitlines()
        return "the stubs do not load with %s's protobuf: %s" % (sys.executable, lines[-1] if lines else "?")
    return None


def generate():
    """Generates the stubs into this package's _stubs; returns what it did, as a sentence."""
    out = STUBS
    protos = _protos()
    _runtime()
    generators = _generators()
    if not generators:
        raise StubsError("found neither protoc with grpc_python_plugin on PATH nor grpc_tools for %s: %s"
                         % (sys.executable, INSTALL))
    failures = []
    parent = os.path.dirname(out)
    for description, command in generators:
        work = tempfile.mkdtemp(prefix="._stubs-", dir=parent)
        try:
            failure = _generate(command, protos, work)
            if failure is None:
                old = None
                if os.path.lexists(out):
                    old = tempfile.mkdtemp(prefix="._stubs-old-", dir=parent)
                    os.rename(out, os.path.join(old, "_stubs"))
                os.rename(work, out)
                work = None
                if old:
                    shutil.rmtree(old)
                return "generated %d stub modules for %s into %s from %d .proto files in %s, with %s" % (
                    sum(1 for _, _, files in os.walk(out) for name in files if name.endswith("_pb2.py")
                        or name.endswith("_pb2_grpc.py")), sys.executable, out, len(protos), PROTO, description)
            failures.append("%s: %s" % (description, failure))
        finally:
            if work:
                shutil.rmtree(work, ignore_errors=True)
    raise StubsError("no generator made stubs that load: %s. Otherwise, %s"
                     % ("; ".join(failures), INSTALL))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print("usage: python3 -m htmlize_plugin.stubs\n\n" + __doc__.strip())
        return 0
    if argv:
        print("usage: python3 -m htmlize_plugin.stubs (it takes no arguments)", file=sys.stderr)
        return 2
    try:
        print("htmlize_plugin.stubs: " + generate())
        return 0
    except StubsError as error:
        print("htmlize_plugin.stubs: " + str(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
