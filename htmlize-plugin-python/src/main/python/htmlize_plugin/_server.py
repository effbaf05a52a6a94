"""The plugin side of go-plugin's protocol, for an htmlize plugin: the Htmlizer service over the author's object,
health, the controller, the broker and the handshake."""
import datetime
import inspect
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
from plugin import grpc_broker_pb2_grpc, grpc_controller_pb2, grpc_controller_pb2_grpc

from htmlize_plugin import _handshake, _host_watch
from htmlize_plugin.site import NoSite, Site

# The trailing metadata key of a failed ProcessRoles call that names the occurrence to blame (decimal text).
ROLE_INDEX = "htmlize-role-index"
# How long a plugin waits for the host to announce a service it was told to dial.
BROKER_DIAL_TIMEOUT = 5.0


class RoleError(ValueError):
    """A role value the page's author must fix: the build reports it at that occurrence's line, with this message."""


def log(level, message, **fields):
    """Writes one hclog JSON line on stderr, which the host shows in the build log at that level."""
    now = datetime.datetime.now(datetime.timezone.utc)
    entry = {"@level": level, "@message": message, "@timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"}
    entry.update({key: str(value) for key, value in fields.items()})
    sys.stderr.write(json.dumps(entry) + "\n")
    sys.stderr.flush()


def _describe(error):
    """A failure as the page's author reads it: a RoleError's own message, else the exception's type and message."""
    if isinstance(error, RoleError):
        return str(error)
    return "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__


def _string(value, method):
    """What the author's method returned, if it is a string: the Java SDK's check on an answer."""
    if not isinstance(value, str):
        raise TypeError("%s returned %s, not a string" % (method, "None" if value is None else type(value).__name__))
    return value


class _Failure(Exception):
    """A call failed at an occurrence of the page's roles (index), or at none (-1)."""

    def __init__(self, error, index):
        super().__init__(error)
        self.error = error
        self.index = index


class _Broker(grpc_broker_pb2_grpc.GRPCBrokerServicer):
    """go-plugin's broker, plugin side: the host announces the services it offers on this stream; dial() waits for
    an announcement and connects to it."""

    def __init__(self):
        self._announced = {}
        self._changed = threading.Condition()

    def StartStream(self, request_iterator, context):
        for info in request_iterator:
            with self._changed:
                self._announced[info.service_id] = info
                self._changed.notify_all()
        return iter(())

    def dial(self, service_id):
        with self._changed:
            if not self._changed.wait_for(lambda: service_id in self._announced, BROKER_DIAL_TIMEOUT):
                raise RuntimeError("the host announced no service with broker id %d within %gs"
                                   % (service_id, BROKER_DIAL_TIMEOUT))
            info = self._announced[service_id]
        if info.network != "unix":
            raise RuntimeError("the host offers broker id %d on %s, which this SDK cannot dial (unix sockets only)"
                               % (service_id, info.network))
        return grpc.insecure_channel("unix:" + info.address)


class _Htmlizer(htmlizer_pb2_grpc.HtmlizerServicer):
    def __init__(self, plugin, broker):
        self.plugin = plugin
        self.broker = broker

    def _call(self, context, method, work):
        try:
            return work()
        except _Failure as failure:
            self._abort(context, method, failure.error, failure.index)
        except Exception as error:  # noqa: BLE001 - every plugin error goes back to the host with its message
            self._abort(context, method, error, -1)

    def _abort(self, context, method, error, index):
        log("debug" if isinstance(error, RoleError) else "error", method + " failed", error=repr(error))
        if index >= 0:
            context.set_trailing_metadata(((ROLE_INDEX, str(index)),))
        code = grpc.StatusCode.INVALID_ARGUMENT if isinstance(error, ValueError) else grpc.StatusCode.INTERNAL
        context.abort(code, _describe(error))

    def Hooks(self, request, context):
        def hooks():
            answer = list(self.plugin.hooks())
            for hook in answer:
                _string(hook, "hooks")
            return htmlizer_pb2.HooksResponse(hooks=answer)
        return self._call(context, "Hooks", hooks)

    def Configure(self, request, context):
        def configure():
            method = getattr(self.plugin, "configure", None)
            if method is not None:
                if len(inspect.signature(method).parameters) >= 2:
                    site = Site(self.broker.dial(request.site_broker_id)) if request.site_broker_id else NoSite()
                    method(dict(request.properties), site)
                else:
                    method(dict(request.properties))
            return htmlizer_pb2.ConfigureResponse()
        return self._call(context, "Configure", configure)

    def _role(self, role, value, post, index):
        try:
            return _string(self.plugin.process_role(role, value, post), "process_role")
        except Exception as error:  # noqa: BLE001 - blamed on its occurrence
            raise _Failure(error, index) from error

    def _contents(self, html, post):
        method = getattr(self.plugin, "process_contents", None)
        return html if method is None else _string(method(html, post), "process_contents")

    def ProcessRole(self, request, context):
        return self._call(context, "ProcessRole", lambda: htmlizer_pb2.ProcessRoleResponse(
            html=self._role(request.role, request.value, request.post, 0)))

    def ProcessRoles(self, request, context):
        return self._call(context, "ProcessRoles", lambda: htmlizer_pb2.ProcessRolesResponse(
            html=[self._role(r.role, r.value, request.post, i) for i, r in enumerate(request.roles)]))

    def ProcessContents(self, request, context):
        return self._call(context, "ProcessContents", lambda: htmlizer_pb2.ProcessContentsResponse(
            html=self._contents(request.html, request.post)))

    # The batch calls: many pages in one call, each page answered on its own (its HTML, or its error naming the
    # occurrence that failed), so that one page's failure does not fail the others.

    def ProcessRolesBatch(self, request, context):
        results = []
        for page in request.pages:
            try:
                html = [self._role(r.role, r.value, page.post, i) for i, r in enumerate(page.roles)]
                results.append(htmlizer_pb2.ProcessRolesResult(response=htmlizer_pb2.ProcessRolesResponse(html=html)))
            except _Failure as failure:
                log("debug" if isinstance(failure.error, RoleError) else "error", "ProcessRoles failed",
                    error=repr(failure.error))
                results.append(htmlizer_pb2.ProcessRolesResult(
                    error=htmlizer_pb2.PageError(message=_describe(failure.error), role_index=failure.index)))
        return htmlizer_pb2.ProcessRolesBatchResponse(results=results)

    def ProcessContentsBatch(self, request, context):
        results = []
        for page in request.pages:
            try:
                results.append(htmlizer_pb2.ProcessContentsResult(
                    response=htmlizer_pb2.ProcessContentsResponse(html=self._contents(page.html, page.post))))
            except Exception as failure:  # noqa: BLE001 - the page's error goes back to the host
                log("error", "ProcessContents failed", error=repr(failure))
                results.append(htmlizer_pb2.ProcessContentsResult(
                    error=htmlizer_pb2.PageError(message=_describe(failure))))
        return htmlizer_pb2.ProcessContentsBatchResponse(results=results)


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


def _refuse(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.exit(1)


def serve(plugin):
    """Serves the plugin until the host shuts it down or dies; then exits. Never returns."""
    if os.environ.get(_handshake.MAGIC_COOKIE_KEY) != _handshake.MAGIC_COOKIE_VALUE:
        _refuse("This binary is a plugin. These are not meant to be executed directly.\n"
                "Please execute the program that consumes these plugins, which will\n"
                "load any plugins automatically")
    offered = [v.strip() for v in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "").split(",") if v.strip()]
    if str(_handshake.PROTOCOL_VERSION) not in offered:
        _refuse("this plugin speaks htmlize's app protocol version %d, but the host offers %s: upgrade or downgrade "
                "one of them" % (_handshake.PROTOCOL_VERSION, ", ".join(offered) or "none"))
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    done = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))

    def stop():
        server.stop(0)
        done.set()

    broker = _Broker()
    htmlizer_pb2_grpc.add_HtmlizerServicer_to_server(_Htmlizer(plugin, broker), server)
    health_pb2_grpc.add_HealthServicer_to_server(_Health(), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(_Controller(stop), server)
    grpc_broker_pb2_grpc.add_GRPCBrokerServicer_to_server(broker, server)

    private = None
    directory = os.environ.get("PLUGIN_UNIX_SOCKET_DIR")
    if not directory:
        # Named after this process, so that a host sweeping its temporary directory knows it once this process is gone.
        private = directory = tempfile.mkdtemp(prefix="plugin-%d-" % os.getpid())
        _host_watch.directories.append(private)
    socket_path = os.path.join(directory, "plugin%d" % os.getpid())
    _host_watch.sockets.append(socket_path)
    server.add_insecure_port("unix:" + socket_path)
    server.start()
    print("1|%d|unix|%s|grpc|" % (_handshake.PROTOCOL_VERSION, socket_path), flush=True)
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
