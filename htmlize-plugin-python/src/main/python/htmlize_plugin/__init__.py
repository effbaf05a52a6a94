"""htmlize's SDK for plugins written in Python, on gRPC (Debian's python3-grpcio and python3-protobuf).

A plugin is an object with hooks() and, as its hooks need, configure(properties) or configure(properties, site),
process_role(role, value, post) and process_contents(html, post); post is the htmlize.v1.Post message, site a
Site (every page's Post, by source path). Serve it with serve(MyPlugin()): the SDK checks the magic cookie, refuses a
host that offers no app protocol version it speaks, listens on a unix socket in PLUGIN_UNIX_SOCKET_DIR, serves
htmlize.v1.Htmlizer (the batch calls too, page by page with the same methods), gRPC health ("plugin" = SERVING),
plugin.GRPCController (Shutdown) and plugin.GRPCBroker (to reach the host's Site), prints the handshake line, logs
hclog JSON on stderr (log(level, message, **fields)), ignores SIGINT, and exits when the host process dies (watched
from the moment this package is imported, its sockets removed).

configure comes before any page of a render, and again before each next render the process serves (the next module
of a build), with that render's properties and site. Calls come from several threads at once. An answer that is not a string fails the call, as in the Java SDK. Raise
RoleError for a role value the page's author must fix: the build reports it at that occurrence's line; any other
exception is reported with its type. escape(text) escapes as the Java SDK's Html.escape does. The magic cookie and the protocol version come from the same file as the Java
side's (htmlize-plugin-protocol's handshake.properties), generated into _handshake.py.

The package ships without its gRPC stubs, which must fit the protobuf runtime that loads them: generate them once
with python3 -m htmlize_plugin.stubs (see htmlize_plugin.stubs). htmlize_plugin.testing runs a plugin as the build
does, for tests.
"""
import os
import sys

_STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_stubs")
_GENERATE = ("run `python3 -m htmlize_plugin.stubs` (with the Python that runs the plugin) to generate them; it needs "
             "protoc and grpc_python_plugin on PATH (Debian's protobuf-compiler and protobuf-compiler-grpc) or "
             "grpc_tools (pip's grpcio-tools)")


def _running_stubs_command():
    """Whether this import is python3 -m htmlize_plugin.stubs importing its package: it must work without stubs."""
    # sys.argv[0] is "-m" while python3 -m imports the module's package; sys.orig_argv (3.10+) names the module.
    if not sys.argv or sys.argv[0] != "-m":
        return False
    orig_argv = getattr(sys, "orig_argv", None)
    return orig_argv is None or "htmlize_plugin.stubs" in orig_argv or "-mhtmlize_plugin.stubs" in orig_argv


if not os.path.isfile(os.path.join(_STUBS, "htmlize", "v1", "htmlizer_pb2.py")):
    if not _running_stubs_command():
        raise ImportError("htmlize_plugin has no gRPC stubs in %s: %s" % (_STUBS, _GENERATE), name=__name__)

    def __getattr__(name):
        raise ImportError("htmlize_plugin has no gRPC stubs in %s: %s" % (_STUBS, _GENERATE), name=__name__)
else:
    # The stubs generated from htmlizer.proto and go-plugin's and gRPC's protos, beside this package's modules.
    if _STUBS not in sys.path:
        sys.path.insert(0, _STUBS)

    from htmlize_plugin import _host_watch  # noqa: E402,F401 - first: the host is watched before gRPC loads
    from htmlize_plugin._handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSION  # noqa: E402
    from htmlize_plugin._escape import escape  # noqa: E402
    try:
        from htmlize_plugin._server import ROLE_INDEX, RoleError, log, serve  # noqa: E402
        from htmlize_plugin.site import Site  # noqa: E402
    except ImportError as _error:
        if _error.name in ("grpc", "google", "google.protobuf"):
            raise ImportError("htmlize_plugin needs gRPC and protobuf for %s: %s (Debian's python3-grpcio and "
                              "python3-protobuf, or pip's grpcio and protobuf)" % (sys.executable, _error),
                              name=__name__) from _error
        raise ImportError("htmlize_plugin's gRPC stubs in %s do not load with this Python's protobuf (%s): %s"
                          % (_STUBS, _error, _GENERATE.replace("to generate them", "again")),
                          name=__name__) from _error
    except TypeError as _error:  # protobuf's "Descriptors cannot be created directly": stubs of another protoc
        raise ImportError("htmlize_plugin's gRPC stubs in %s do not fit this Python's protobuf (%s): %s"
                          % (_STUBS, _error, _GENERATE.replace("to generate them", "again")),
                          name=__name__) from _error

__all__ = ["MAGIC_COOKIE_KEY", "MAGIC_COOKIE_VALUE", "PROTOCOL_VERSION", "ROLE_INDEX", "RoleError", "Site", "escape",
           "log", "serve"]
