"""A small SDK for htmlize plugins written in Python, on Debian's python3-grpcio.

It does what go-plugin's guide asks of a non-Go plugin, plus what htmlize expects of every plugin: checks the magic
cookie, negotiates app protocol version 1, listens on a unix socket in PLUGIN_UNIX_SOCKET_DIR, serves
htmlize.v1.Htmlizer, gRPC health ("plugin" = SERVING) and plugin.GRPCController (Shutdown), prints the handshake line,
logs hclog JSON on stderr, ignores SIGINT, and exits when the host process dies (watched from the moment this module
is imported, removing its sockets).

A plugin is an object with hooks() and, as its hooks need, configure(properties), process_role(role, value, post)
and process_contents(html, post); post is the htmlize.v1.Post message. Calls come from several threads at once, and
the batch calls (many pages in one call) are served page by page with the same methods.
"""
import os
import stat
import sys
import threading
import time

COOKIE_KEY = "HTMLIZE_PLUGIN"
COOKIE_VALUE = "5f1d3c9a7e2b4c86"
PROTOCOL_VERSION = "1"

# The sockets this plugin listens on and the directory it made for them, if any: removed when its host dies.
_sockets = []
_directories = []


def _start_time(pid):
    """The kernel's start time of a process (field 22 of /proc/PID/stat), or None where there is none to read."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            text = stat.read().decode("latin-1")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split(" ")
    if len(fields) < 20 or fields[0] == "Z":
        return None
    return fields[19]


def _host_alive():
    """A check of the host: the process named by PLUGIN_HOST_PID and PLUGIN_HOST_START, else the parent as it is now."""
    pid = os.environ.get("PLUGIN_HOST_PID", "").strip()
    if pid.isdigit():
        pid = int(pid)
        start = os.environ.get("PLUGIN_HOST_START", "").strip() or None

        def named():
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass
            return start is None or _start_time(pid) == start
        return named
    parent = os.getppid()
    start = _start_time(parent)
    return lambda: os.getppid() == parent and (start is None or _start_time(parent) == start)


def _remove_left_by_dead_host():
    """Removes this plugin's sockets, and the sockets and lock of the directory the host made for them."""
    for path in list(_sockets):
        try:
            os.unlink(path)
        except OSError:
            pass
    for path in list(_directories):
        try:
            os.rmdir(path)
        except OSError:
            pass
    directory = os.environ.get("PLUGIN_UNIX_SOCKET_DIR")
    if directory and os.path.isfile(os.path.join(directory, ".lock")):
        try:
            for name in os.listdir(directory):
                path = os.path.join(directory, name)
                if name == ".lock" or _is_socket(path):
                    os.unlink(path)
            os.rmdir(directory)
        except OSError:
            pass


def _is_socket(path):
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False


def _watch_host():
    """Ends the plugin when its host dies, however it dies; nothing here needs a write to succeed."""
    alive = _host_alive()
    if not alive():
        _remove_left_by_dead_host()
        os._exit(0)

    def watch():
        while alive():
            time.sleep(0.25)
        _remove_left_by_dead_host()
        try:
            log("warn", "the host process is gone; exiting")
        except Exception:  # noqa: BLE001 - the host's end of stderr is usually closed by now
            pass
        os._exit(0)
    threading.Thread(target=watch, name="plugin-host-watch", daemon=True).start()


# Started by a host: watch it before the rest is imported (gRPC takes a while), so that a host killed meanwhile does
# not leave the plugin running.
if os.environ.get(COOKIE_KEY) == COOKIE_VALUE:
    _watch_host()

import datetime  # noqa: E402 - after the host watch
import json  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
from concurrent import futures  # noqa: E402

import grpc  # noqa: E402

from health.v1 import health_pb2, health_pb2_grpc  # noqa: E402
from htmlize.v1 import htmlizer_pb2, htmlizer_pb2_grpc  # noqa: E402
from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc  # noqa: E402

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
        # Named after this process, so that a host sweeping its temporary directory knows it once this process is gone.
        private = directory = tempfile.mkdtemp(prefix="plugin-%d-" % os.getpid())
        _directories.append(private)
    socket_path = os.path.join(directory, "plugin%d" % os.getpid())
    _sockets.append(socket_path)
    server.add_insecure_port("unix:" + socket_path)
    server.start()
    print("1|%s|unix|%s|grpc|" % (PROTOCOL_VERSION, socket_path), flush=True)
    log("debug", "plugin address", network="unix", address=socket_path)
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
