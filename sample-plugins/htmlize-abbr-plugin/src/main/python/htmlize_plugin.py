"""A small SDK for htmlize plugins written in Python, on Debian's python3-grpcio.

It does what go-plugin's guide asks of a non-Go plugin, plus what htmlize expects of every plugin: checks the magic
cookie, negotiates app protocol version 1, listens on a unix socket in PLUGIN_UNIX_SOCKET_DIR, serves
htmlize.v1.Htmlizer, gRPC health ("plugin" = SERVING) and plugin.GRPCController (Shutdown), prints the handshake line,
logs hclog JSON on stderr, ignores SIGINT, and exits when the host process dies.

A plugin is an object with hooks() and, as its hooks need, configure(properties), process_role(role, value, post)
and process_contents(html, post); post is the htmlize.v1.Post message. Calls come from several threads at once, and
the batch calls (many pages in one call) are served page by page with the same methods.
"""
import datetime
import json
import os
import signal
import sys
import tempfile
import threading
from concurrent import futures

import grpc

from health.v1 import health_pb2, health_pb2_grpc
from htmlize.v1 import htmlizer_pb2, htmlizer_pb2_grpc
from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc

COOKIE_KEY = "HTMLIZE_PLUGIN"
COOKIE_VALUE = "5f1d3c9a7e2b4c86"
PROTOCOL_VERSION = "1"


def log(level, message, **fields):
    """Writes one hclog JSON line on stderr, which the host shows in the build log."""
    now = datetime.datetime.now(datetime.timezone.utc)
    entry = {"@level": level, "@message": message, "@timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"}
    entry.update({key: str(value) for key, value in fields.items()})
    sys.stderr.write(json.dumps(entry) + "\n")
    sys.stderr.flush()


class _Htmlizer(htmlizer_pb2_grpc.HtmlizerServicer):
    def __init__(self, plugin):
        self.plugin = plugin

    def _call(self, context, work):
        try:
            return work()
        except Exception as error:  # noqa: BLE001 - every plugin error goes back to the host with its message
            log("error", "call failed", error=repr(error))
            code = grpc.StatusCode.INVALID_ARGUMENT if isinstance(error, ValueError) else grpc.StatusCode.INTERNAL
            context.abort(code, _describe(error))

    def Hooks(self, request, context):
        return self._call(context, lambda: htmlizer_pb2.HooksResponse(hooks=list(self.plugin.hooks())))

    def Configure(self, request, context):
        def configure():
            if hasattr(self.plugin, "configure"):
                self.plugin.configure(dict(request.properties))
            return htmlizer_pb2.ConfigureResponse()
        return self._call(context, configure)

    def ProcessRole(self, request, context):
        return self._call(context, lambda: htmlizer_pb2.ProcessRoleResponse(
            html=self.plugin.process_role(request.role, request.value, request.post)))

    def ProcessRoles(self, request, context):
        return self._call(context, lambda: htmlizer_pb2.ProcessRolesResponse(
            html=[self.plugin.process_role(r.role, r.value, request.post) for r in request.roles]))

    def ProcessContents(self, request, context):
        def contents():
            if hasattr(self.plugin, "process_contents"):
                return htmlizer_pb2.ProcessContentsResponse(
                    html=self.plugin.process_contents(request.html, request.post))
            return htmlizer_pb2.ProcessContentsResponse(html=request.html)
        return self._call(context, contents)

    # The batch calls: many pages in one call, each page answered on its own (its HTML, or its error naming the
    # occurrence that failed), so that one page's failure does not fail the others.

    def ProcessRolesBatch(self, request, context):
        results = []
        for page in request.pages:
            result = None
            for index, role in enumerate(page.roles):
                try:
                    html = self.plugin.process_role(role.role, role.value, page.post)
                    if not isinstance(html, str):
                        raise TypeError("process_role returned %s, not a string" % type(html).__name__)
                except Exception as failure:  # noqa: BLE001 - the page's error goes back to the host
                    log("error", "call failed", error=repr(failure))
                    result = htmlizer_pb2.ProcessRolesResult(
                        error=htmlizer_pb2.PageError(message=_describe(failure), role_index=index))
                    break
                if result is None:
                    result = htmlizer_pb2.ProcessRolesResult(response=htmlizer_pb2.ProcessRolesResponse())
                result.response.html.append(html)
            results.append(result if result is not None
                           else htmlizer_pb2.ProcessRolesResult(response=htmlizer_pb2.ProcessRolesResponse()))
        return htmlizer_pb2.ProcessRolesBatchResponse(results=results)

    def ProcessContentsBatch(self, request, context):
        results = []
        for page in request.pages:
            try:
                html = page.html
                if hasattr(self.plugin, "process_contents"):
                    html = self.plugin.process_contents(page.html, page.post)
                if not isinstance(html, str):
                    raise TypeError("process_contents returned %s, not a string" % type(html).__name__)
                results.append(htmlizer_pb2.ProcessContentsResult(
                    response=htmlizer_pb2.ProcessContentsResponse(html=html)))
            except Exception as failure:  # noqa: BLE001 - the page's error goes back to the host
                log("error", "call failed", error=repr(failure))
                results.append(htmlizer_pb2.ProcessContentsResult(
                    error=htmlizer_pb2.PageError(message=_describe(failure))))
        return htmlizer_pb2.ProcessContentsBatchResponse(results=results)


def _describe(error):
    return "%s: %s" % (type(error).__name__, error)


class _Health(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        if request.service not in ("", "plugin"):
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service " + request.service)
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


class _Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        threading.Thread(target=self.stop, daemon=True).start()
        return grpc_controller_pb2.Empty()


def serve(plugin):
    """Serves the plugin until the host shuts it down or dies; then exits."""
    if os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        sys.stderr.write("This binary is a plugin. These are not meant to be executed directly.\n"
                         "Please execute the program that consumes these plugins, which will\n"
                         "load any plugins automatically\n")
        sys.exit(1)
    offered = [v.strip() for v in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "").split(",")]
    if PROTOCOL_VERSION not in offered:
        log("warn", "the host does not offer protocol version " + PROTOCOL_VERSION, offered=",".join(offered))
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    done = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))

    def stop():
        server.stop(0)
        done.set()

    htmlizer_pb2_grpc.add_HtmlizerServicer_to_server(_Htmlizer(plugin), server)
    health_pb2_grpc.add_HealthServicer_to_server(_Health(), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(_Controller(stop), server)

    private = None
    directory = os.environ.get("PLUGIN_UNIX_SOCKET_DIR")
    if not directory:
        private = directory = tempfile.mkdtemp(prefix="plugin-")
    socket_path = os.path.join(directory, "plugin%d" % os.getpid())
    server.add_insecure_port("unix:" + socket_path)
    server.start()
    print("1|%s|unix|%s|grpc|" % (PROTOCOL_VERSION, socket_path), flush=True)
    log("debug", "plugin address", network="unix", address=socket_path)

    parent = os.getppid()

    def watch_parent():
        while not done.wait(0.25):
            if os.getppid() != parent:
                log("warn", "the host process is gone; exiting")
                stop()

    threading.Thread(target=watch_parent, daemon=True).start()
    done.wait()
    for path in (socket_path, private):
        try:
            if path == private and path:
                os.rmdir(path)
            elif path:
                os.unlink(path)
        except OSError:
            pass
    sys.exit(0)
