#!/usr/bin/env python3
"""The runtime's test plugin written in Python, the way go-plugin's guide for non-Go plugins describes it.

It serves the Echo and Counter services, gRPC health ("plugin" = SERVING) and plugin.GRPCController, and, like
plugins written against go-plugin 1.0.1, neither plugin.GRPCStdio nor plugin.GRPCBroker: the host must tolerate that.
It checks the magic cookie, listens on a unix socket in PLUGIN_UNIX_SOCKET_DIR, prints the handshake line, logs hclog
JSON on stderr, ignores SIGINT and exits when its host process dies.
"""
import datetime
import json
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc

from goplugin.test.v1 import echo_pb2, echo_pb2_grpc
from health.v1 import health_pb2, health_pb2_grpc
from plugin import grpc_controller_pb2, grpc_controller_pb2_grpc

COOKIE_KEY = "GOPLUGIN_TEST_COOKIE"
COOKIE_VALUE = "d1c2b3a4"


def log(level, message, **fields):
    now = datetime.datetime.now(datetime.timezone.utc)
    entry = {"@level": level, "@message": message,
             "@timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z", "@module": "python-echo"}
    entry.update({k: str(v) for k, v in fields.items()})
    sys.stderr.write(json.dumps(entry) + "\n")
    sys.stderr.flush()


class Echo(echo_pb2_grpc.EchoServicer):
    def Echo(self, request, context):
        if request.log_message:
            log(request.log_level or "info", request.log_message)
        if request.exit_status:
            os._exit(request.exit_status)
        if request.delay_millis:
            time.sleep(request.delay_millis / 1000)
        return echo_pb2.EchoResponse(text=request.text, pid=os.getpid())


class Counter(echo_pb2_grpc.CounterServicer):
    def Count(self, request, context):
        return echo_pb2.CountResponse(length=len(request.text))


class Health(health_pb2_grpc.HealthServicer):
    def Check(self, request, context):
        if request.service not in ("", "plugin"):
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


class Controller(grpc_controller_pb2_grpc.GRPCControllerServicer):
    def __init__(self, stop):
        self.stop = stop

    def Shutdown(self, request, context):
        threading.Thread(target=self.stop, daemon=True).start()
        return grpc_controller_pb2.Empty()


def main():
    if os.environ.get(COOKIE_KEY) != COOKIE_VALUE:
        sys.stderr.write("This binary is a plugin. These are not meant to be executed directly.\n"
                         "Please execute the program that consumes these plugins, which will\n"
                         "load any plugins automatically\n")
        sys.exit(1)
    versions = [v.strip() for v in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "1").split(",")]
    if "1" not in versions:
        log("warn", "host does not offer version 1", offered=",".join(versions))
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    done = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))

    def stop():
        server.stop(0)
        done.set()

    echo_pb2_grpc.add_EchoServicer_to_server(Echo(), server)
    echo_pb2_grpc.add_CounterServicer_to_server(Counter(), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(stop), server)

    directory = os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or tempfile.mkdtemp(prefix="plugin-")
    socket_path = os.path.join(directory, "plugin%d" % os.getpid())
    server.add_insecure_port("unix:" + socket_path)
    server.start()

    print("1|1|unix|%s|grpc|" % socket_path, flush=True)
    log("info", "python plugin serving", address=socket_path)

    parent = os.getppid()

    def watch_parent():
        while not done.is_set():
            if os.getppid() != parent:
                log("warn", "the host process is gone; exiting")
                stop()
                return
            done.wait(0.25)

    threading.Thread(target=watch_parent, daemon=True).start()
    done.wait()
    try:
        os.unlink(socket_path)
    except OSError:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
