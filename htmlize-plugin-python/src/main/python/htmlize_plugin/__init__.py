"""htmlize's SDK for plugins written in Python, on gRPC (Debian's python3-grpcio and python3-protobuf).

A plugin is an object with hooks() and, as its hooks need, configure(properties) or configure(properties, site),
process_role(role, value, post) and process_contents(html, post); post is the htmlize.v1.Post message, site a
Site (every page's Post, by source path). Serve it with serve(MyPlugin()): the SDK checks the magic cookie, refuses a
host that offers no app protocol version it speaks, listens on a unix socket in PLUGIN_UNIX_SOCKET_DIR, serves
htmlize.v1.Htmlizer (the batch calls too, page by page with the same methods), gRPC health ("plugin" = SERVING),
plugin.GRPCController (Shutdown) and plugin.GRPCBroker (to reach the host's Site), prints the handshake line, logs
hclog JSON on stderr (log(level, message, **fields)), ignores SIGINT, and exits when the host process dies (watched
from the moment this package is imported, its sockets removed).

Calls come from several threads at once. An answer that is not a string fails the call, as in the Java SDK. Raise
RoleError for a role value the page's author must fix: the build reports it at that occurrence's line; any other
exception is reported with its type. The magic cookie and the protocol version come from the same file as the Java
side's (htmlize-plugin-protocol's handshake.properties), generated into _handshake.py.
"""
import os
import sys

# The stubs generated from htmlizer.proto and go-plugin's and gRPC's protos, beside this package's modules.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_stubs"))

from htmlize_plugin import _host_watch  # noqa: E402,F401 - first: the host is watched before gRPC loads
from htmlize_plugin._handshake import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, PROTOCOL_VERSION  # noqa: E402
from htmlize_plugin._server import ROLE_INDEX, RoleError, log, serve  # noqa: E402
from htmlize_plugin.site import Site  # noqa: E402

__all__ = ["MAGIC_COOKIE_KEY", "MAGIC_COOKIE_VALUE", "PROTOCOL_VERSION", "ROLE_INDEX", "RoleError", "Site", "log",
           "serve"]
