#!/usr/bin/env python3
"""A small go-plugin host written in Python that checks the Java plugin side from outside.

Usage: check_java_plugin.py COMMAND... -- runs the plugin as go-plugin's host would (cookie, versions and port range
in the environment, stdin from /dev/null, stdout and stderr piped), checks the handshake line, pings, calls both
logical plugins, reads plugin.GRPCStdio, opens plugin.GRPCBroker, shuts the plugin down and checks that it exits with
status 0 within go-plugin's 2 s grace. Prints "OK" and exits 0 when every check passes.
"""
import os
import queue
import subprocess
import sys
import threading
import time

import grpc

from goplugin.test.v1 import echo_pb2, echo_pb2_grpc
from health.v1 import health_pb2, health_pb2_grpc
from plugin import grpc_broker_pb2_grpc, grpc_controller_pb2, grpc_controller_pb2_grpc, grpc_stdio_pb2, \
    grpc_stdio_pb2_grpc
from google.protobuf import empty_pb2


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def main():
    command = sys.argv[1:]
    env = dict(os.environ)
    env.update({"GOPLUGIN_TEST_COOKIE": "d1c2b3a4", "PLUGIN_PROTOCOL_VERSIONS": "1",
                "PLUGIN_MIN_PORT": "10000", "PLUGIN_MAX_PORT": "25000"})
    plugin = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env)
    stderr_lines = []
    threading.Thread(target=lambda: stderr_lines.extend(plugin.stderr), daemon=True).start()
    first = queue.Queue()

    def read_stdout():
        first.put(plugin.stdout.readline())
        for _ in plugin.stdout:
            pass

    threading.Thread(target=read_stdout, daemon=True).start()
    try:
        line = first.get(timeout=60).decode().strip()
    except queue.Empty:
        plugin.kill()
        fail("no handshake line within 60 s")
    parts = line.split("|")
    if len(parts) != 6 or parts[0] != "1" or parts[1] != "1" or parts[2] != "unix" or parts[4] != "grpc" \
            or parts[5] != "":
        plugin.kill()
        fail("unexpected handshake line %r" % line)

    channel = grpc.insecure_channel("unix:" + parts[3])
    health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service="plugin"), timeout=10)
    if health.status != health_pb2.HealthCheckResponse.SERVING:
        fail("health status %s" % health.status)

    stdio = queue.Queue()
    stdio_call = grpc_stdio_pb2_grpc.GRPCStdioStub(channel).StreamStdio(empty_pb2.Empty())

    def read_stdio():
        try:
            for data in stdio_call:
                stdio.put((data.channel, data.data))
        except grpc.RpcError:
            pass

    threading.Thread(target=read_stdio, daemon=True).start()
    broker_requests = queue.Queue()
    broker_call = grpc_broker_pb2_grpc.GRPCBrokerStub(channel).StartStream(iter(broker_requests.get, None))

    reply = echo_pb2_grpc.EchoStub(channel).Echo(
        echo_pb2.EchoRequest(text="from python", print_stdout="printed by java\n"), timeout=10)
    if reply.text != "from python" or reply.pid != plugin.pid:
        fail("echo answered %r" % reply)
    count = echo_pb2_grpc.CounterStub(channel).Count(echo_pb2.CountRequest(text="four"), timeout=10)
    if count.length != 4:
        fail("count answered %r" % count)
    received = b""
    deadline = time.monotonic() + 10
    while b"printed by java\n" not in received and time.monotonic() < deadline:
        try:
            channel_id, data = stdio.get(timeout=1)
        except queue.Empty:
            continue
        if channel_id == grpc_stdio_pb2.StdioData.STDOUT:
            received += data
    if received != b"printed by java\n":
        fail("stdio stream carried %r" % received)

    started = time.monotonic()
    broker_requests.put(None)
    broker_call.cancel()
    try:
        grpc_controller_pb2_grpc.GRPCControllerStub(channel).Shutdown(grpc_controller_pb2.Empty(), timeout=2)
    except grpc.RpcError:
        pass
    stdio_call.cancel()
    channel.close()
    try:
        status = plugin.wait(timeout=2)
    except subprocess.TimeoutExpired:
        plugin.kill()
        fail("the plugin did not exit within 2 s of Shutdown")
    if status != 0:
        fail("the plugin exited with status %d; stderr: %s" % (status, b"".join(stderr_lines[-5:])))
    print("OK handshake=%s shutdown_ms=%d" % (line, (time.monotonic() - started) * 1000), flush=True)


if __name__ == "__main__":
    main()
