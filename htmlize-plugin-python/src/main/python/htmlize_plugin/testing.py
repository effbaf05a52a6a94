"""Tests a plugin as the build runs it: a real process, go-plugin's handshake, gRPC over a unix socket, the site
offered through the broker. The Python counterpart of the Java test kit (dev.htmlize:htmlize-plugin-testkit).

    import unittest
    from htmlize_plugin import testing

    class AbbrTest(unittest.TestCase):
        def test_abbr(self):
            with testing.start("./abbr_plugin.py") as plugin:
                plugin.configure({"CSS": "Cascading Style Sheets"})
                self.assertEqual(plugin.process_role("abbr", "CSS", testing.post("a.md")),
                                 '<abbr title="Cascading Style Sheets">CSS</abbr>')

start() launches the command as the build does (a string: the executable itself, run through its #! line; a list:
a command line, such as [sys.executable, "my_plugin.py"]) with the variables the build's host sets (the magic
cookie, PLUGIN_PROTOCOL_VERSIONS, PLUGIN_MIN_PORT and PLUGIN_MAX_PORT, PLUGIN_UNIX_SOCKET_DIR in a private directory,
PLUGIN_HOST_PID and PLUGIN_HOST_START naming this process), reads the handshake line, connects, opens the broker
stream and pings the plugin. Failed calls raise PluginError (its message, gRPC code and, for a role, the index of
the occurrence to blame). close() (or the end of the with block) shuts the plugin down as the build does
(GRPCController.Shutdown, then a kill if it has not exited within 2 s of it), removes the directory, and fails unless the
plugin exited with status 0. What it wrote on stderr is in plugin.logs (hclog JSON, parsed) and plugin.stderr.
"""
import collections
import fcntl
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from concurrent import futures

import grpc

import htmlize_plugin
from health.v1 import health_pb2, health_pb2_grpc
from htmlize.v1 import htmlizer_pb2, htmlizer_pb2_grpc
from htmlize_plugin import _handshake
from plugin import grpc_broker_pb2, grpc_broker_pb2_grpc, grpc_controller_pb2, grpc_controller_pb2_grpc

__all__ = ["LogEntry", "PageError", "PluginError", "PluginStartError", "PluginTestCase", "PluginUnderTest",
           "environment", "post", "start"]

# As the build's host: its defaults for the handshake, the calls and the shutdown.
START_TIMEOUT = 60.0
CALL_TIMEOUT = 60.0
SHUTDOWN_GRACE = 2.0
MIN_PORT = 10000
MAX_PORT = 25000

LogEntry = collections.namedtuple("LogEntry", "level message fields line")
LogEntry.__doc__ = """One line the plugin wrote on stderr: an hclog JSON object's @level, @message and other keys
(fields, without @timestamp), or, for a line that is not one, level None and the line as message. line: as written."""

PageError = collections.namedtuple("PageError", "message role_index")
PageError.__doc__ = """A page's error in a batch answer: its message, and the index of the occurrence to blame (None
when the page as a whole failed)."""


class PluginStartError(AssertionError):
    """The plugin did not start as the build needs: the message says why, with what it wrote on stderr."""


class PluginError(Exception):
    """A call the plugin answered with an error: message (the plugin's, as the build reports it), code (a
    grpc.StatusCode), role_index (the occurrence to blame, for a role; else None) and method."""

    def __init__(self, method, code, message, role_index=None):
        super().__init__("%s failed: %s: %s%s" % (method, code.name, message,
                                                  "" if role_index is None else " (role index %d)" % role_index))
        self.method = method
        self.code = code
        self.message = message
        self.role_index = role_index


def _java_hash(text):
    """Java's String.hashCode, the id the Java test kit gives a post: the same posts on both sides."""
    value = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        value = (31 * value + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def post(source_path, title="", author="", output_path=None, date="", tags=(), metadata=None, id=None):
    """A Post (htmlize.v1.Post) for tests: output_path defaults to the source path with .html for its extension, id to
    the source path's Java hash code (as the Java test kit's post())."""
    if output_path is None:
        output_path = re.sub(r"\.[^./]*$", "", source_path, count=1) + ".html"
    return htmlizer_pb2.Post(id=_java_hash(source_path) if id is None else id, author=author, title=title,
                             source_path=source_path, output_path=output_path, date=date, tags=list(tags),
                             metadata=dict(metadata or {}))


def _start_time(pid):
    """The kernel's start time of a process (field 22 of /proc/PID/stat), or None."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            text = stat.read().decode("latin-1")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split(" ")
    return fields[19] if len(fields) >= 20 else None


def environment(socket_dir, base=None):
    """The variables the build's host gives a plugin, for a plugin this process starts: base (default: this process's
    environment) with the magic cookie, the protocol versions, the port range, the socket directory and this process
    as the host (PLUGIN_HOST_PID, PLUGIN_HOST_START)."""
    env = dict(os.environ if base is None else base)
    for name in ("PLUGIN_MULTIPLEX_GRPC", "PLUGIN_CLIENT_CERT", "PLUGIN_HOST_START"):
        env.pop(name, None)
    env[_handshake.MAGIC_COOKIE_KEY] = _handshake.MAGIC_COOKIE_VALUE
    env["PLUGIN_MIN_PORT"] = str(MIN_PORT)
    env["PLUGIN_MAX_PORT"] = str(MAX_PORT)
    env["PLUGIN_PROTOCOL_VERSIONS"] = str(_handshake.PROTOCOL_VERSION)
    env["PLUGIN_UNIX_SOCKET_DIR"] = socket_dir
    env["PLUGIN_HOST_PID"] = str(os.getpid())
    start_time = _start_time(os.getpid())
    if start_time is not None:
        env["PLUGIN_HOST_START"] = start_time
    return env


class _SocketDirectory:
    """A private directory for the sockets, as the build's host makes one: plugin-PID-RANDOM, mode 0700, with a .lock
    this process holds while it lives (so that a plugin whose host died, or a later build, knows it for a dead one)."""

    def __init__(self):
        parent = tempfile.gettempdir()
        if len(parent.encode()) > 50:  # room for plugin-PID-RANDOM/pluginPID within the 104 bytes of a socket path
            parent = "/tmp"
        self.path = tempfile.mkdtemp(prefix="plugin-%d-" % os.getpid(), dir=parent)
        unlocked = os.path.join(self.path, ".lock-new")
        self._lock = open(unlocked, "w")
        # A POSIX record lock (fcntl), the kind the Java host's FileChannel.tryLock takes and tests: a host that
        # sweeps dead plugins' directories sees that this one is in use.
        fcntl.lockf(self._lock, fcntl.LOCK_EX)
        os.rename(unlocked, os.path.join(self.path, ".lock"))

    def close(self):
        self._lock.close()
        shutil.rmtree(self.path, ignore_errors=True)


class _Site(htmlizer_pb2_grpc.SiteServicer):
    """htmlize.v1.Site over a fixed list of pages, as the build serves it: pages in source path order, GetPage by
    source path (normalized as the build does) or by id."""

    def __init__(self, pages):
        self.pages = sorted(pages, key=lambda page: page.source_path)
        self.by_source = {page.source_path: page for page in self.pages}
        self.by_id = {page.id: page for page in self.pages}

    def ListPages(self, request, context):
        return htmlizer_pb2.ListPagesResponse(pages=self.pages)

    def GetPage(self, request, context):
        key = request.WhichOneof("key")
        if key is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "GetPage needs a source_path or an id")
        if key == "id":
            page = self.by_id.get(request.id)
        else:
            path = request.source_path.replace("\\", "/")
            while path.startswith("/") or path.startswith("./"):
                path = path[1:] if path.startswith("/") else path[2:]
            page = self.by_source.get(path)
        return htmlizer_pb2.GetPageResponse(found=True, page=page) if page is not None \
            else htmlizer_pb2.GetPageResponse(found=False)


def _occurrences(roles):
    """RoleOccurrence messages from (role, value) or (role, value, line) tuples; lines default to 1, 2, ..."""
    occurrences = []
    for number, role in enumerate(roles, 1):
        if isinstance(role, htmlizer_pb2.RoleOccurrence):
            occurrences.append(role)
        else:
            occurrences.append(htmlizer_pb2.RoleOccurrence(role=role[0], value=role[1],
                                                           line=role[2] if len(role) > 2 else number))
    return occurrences


class PluginUnderTest:
    """A plugin running as a real process, called over gRPC as the build calls it. Use start() to make one."""

    def __init__(self, command, env=None, cwd=None, name=None, start_timeout=START_TIMEOUT, call_timeout=CALL_TIMEOUT):
        if isinstance(command, (str, bytes, os.PathLike)):
            command = os.fspath(command)
            # A script named by a path relative to the current directory, as the build runs an <executable> named
            # relative to the site's directory.
            command = [os.path.abspath(command) if os.path.isfile(command) else command]
        self.command = [os.fspath(part) for part in command]
        self.name = name or os.path.basename(self.command[0])
        self.call_timeout = call_timeout
        self.logs = []
        self._logged = threading.Condition()
        self._stderr_ended = False
        self.returncode = None
        self._stderr = []
        self._closed = False
        self._channel = None
        self._sites = []
        self._broker_queue = queue.Queue()
        self._broker_ids = 0
        self._lock = threading.Lock()
        self._socket_dir = _SocketDirectory()
        self.socket_dir = self._socket_dir.path
        self.environment = environment(self.socket_dir, env)
        try:
            self._process = subprocess.Popen(self.command, env=self.environment, cwd=cwd, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as error:
            self._socket_dir.close()
            raise PluginStartError("cannot run %s: %s (a script needs a #! line and chmod +x, or pass the "
                                   "interpreter: start([sys.executable, script]))" % (self.command[0], error)) from None
        self.pid = self._process.pid
        self._lines = queue.Queue()
        self._stdout_reader = threading.Thread(target=self._read_stdout, name="plugin-stdout-" + self.name,
                                               daemon=True)
        self._stderr_reader = threading.Thread(target=self._read_stderr, name="plugin-stderr-" + self.name,
                                               daemon=True)
        self._stdout_reader.start()
        self._stderr_reader.start()
        try:
            self._connect(start_timeout)
        except BaseException:
            self._stop(check=False)
            raise

    # Start.

    def _read_stdout(self):
        first = True
        for line in self._process.stdout:
            if first:
                self._lines.put(line.decode("utf-8", "replace"))
                first = False
        if first:
            self._lines.put(None)

    def _read_stderr(self):
        try:
            self._read_stderr_lines()
        finally:
            with self._logged:
                self._stderr_ended = True  # wait_for_log waits no longer.
                self._logged.notify_all()

    def _read_stderr_lines(self):
        for raw in self._process.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self._stderr.append(line)
            entry = LogEntry(None, line, {}, line)
            try:
                parsed = json.loads(line)
                if isinstance(parsed, dict) and "@message" in parsed:
                    fields = {k: v for k, v in parsed.items() if k not in ("@level", "@message", "@timestamp")}
                    entry = LogEntry(parsed.get("@level"), parsed["@message"], fields, line)
            except ValueError:
                pass
            with self._logged:
                self.logs.append(entry)
                self._logged.notify_all()

    def _fail_start(self, why):
        self._stop(check=False)
        stderr = self.stderr.strip()
        raise PluginStartError("plugin %s (%s) %s%s" % (self.name, " ".join(self.command), why,
                                                        "; it wrote on stderr:\n" + stderr if stderr else ""))

    def _connect(self, timeout):
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            self._fail_start("printed no handshake line within %gs" % timeout)
        if line is None:
            self._process.wait()
            self._stderr_reader.join()
            self._fail_start("exited with status %d before printing its handshake line" % self._process.returncode)
        parts = line.rstrip("\r\n").split("|")
        if len(parts) < 5:
            self._fail_start("printed %r, not a handshake line (CORE|APP|NETWORK|ADDRESS|PROTOCOL)" % line)
        core, app, network, address, protocol = parts[:5]
        if core != "1":
            self._fail_start("speaks go-plugin core protocol %s, not 1" % core)
        if app != str(_handshake.PROTOCOL_VERSION):
            self._fail_start("serves app protocol version %s, but this host speaks %d"
                             % (app, _handshake.PROTOCOL_VERSION))
        if protocol != "grpc":
            self._fail_start("speaks %s, not grpc" % protocol)
        if len(parts) > 5 and parts[5]:
            self._fail_start("sent a TLS certificate, but this host asked for no AutoMTLS")
        if network == "unix":
            target = "unix:" + address
        elif network == "tcp":
            target = address
        else:
            self._fail_start("listens on %s, which this host cannot dial" % network)
        self.address = address
        self._channel = grpc.insecure_channel(target, options=[("grpc.max_receive_message_length", 2 ** 31 - 1),
                                                               ("grpc.max_send_message_length", 2 ** 31 - 1)])
        try:
            grpc.channel_ready_future(self._channel).result(timeout=timeout)
        except grpc.FutureTimeoutError:
            self._fail_start("accepts no connection at %s within %gs" % (address, timeout))
        # As the build's host: the broker stream opens at once and stays open (ConnInfos go out on it).
        self._broker_answers = grpc_broker_pb2_grpc.GRPCBrokerStub(self._channel).StartStream(
            iter(self._broker_queue.get, None))
        self._broker_reader = threading.Thread(target=self._read_broker, name="plugin-broker-" + self.name,
                                               daemon=True)
        self._broker_reader.start()
        self._stub = htmlizer_pb2_grpc.HtmlizerStub(self._channel)
        try:
            health = health_pb2_grpc.HealthStub(self._channel).Check(
                health_pb2.HealthCheckRequest(service="plugin"), timeout=timeout)
        except grpc.RpcError as error:
            self._fail_start("does not answer gRPC health: %s: %s" % (error.code().name, error.details()))
        if health.status != health_pb2.HealthCheckResponse.SERVING:
            self._fail_start("is not serving (health: %s)" % health_pb2.HealthCheckResponse.ServingStatus.Name(
                health.status))

    def _read_broker(self):
        try:
            for _ in self._broker_answers:
                pass  # the plugin's own broker announcements: nothing here dials them
        except grpc.RpcError:
            pass  # the stream ends with the plugin

    # Calls.

    def _call(self, method, request):
        try:
            return getattr(self._stub, method).with_call(request, timeout=self.call_timeout)[0]
        except grpc.RpcError as error:
            index = None
            for key, value in error.trailing_metadata() or ():
                if key == htmlize_plugin.ROLE_INDEX:
                    index = int(value)
            raise PluginError(method, error.code(), error.details(), index) from None

    def hooks(self):
        """The plugin's hooks, as a list."""
        return list(self._call("Hooks", htmlizer_pb2.HooksRequest()).hooks)

    def configure(self, properties=None, pages=None):
        """Configures the plugin with these properties; with pages (Posts, see post()), offers them as the site
        (htmlize.v1.Site) through the broker, as the build does. Without pages, the plugin gets no site."""
        request = htmlizer_pb2.ConfigureRequest(properties=dict(properties or {}))
        if pages is not None:
            request.site_broker_id = self._serve_site(list(pages))
        self._call("Configure", request)

    def _serve_site(self, pages):
        with self._lock:
            self._broker_ids += 1
            service_id = self._broker_ids
        path = os.path.join(self.socket_dir, "site%d" % service_id)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        htmlizer_pb2_grpc.add_SiteServicer_to_server(_Site(pages), server)
        server.add_insecure_port("unix:" + path)
        server.start()
        self._sites.append(server)
        self._broker_queue.put(grpc_broker_pb2.ConnInfo(service_id=service_id, network="unix", address=path))
        return service_id

    def process_role(self, role, value, post):
        """The one-role call (ProcessRole): the HTML for this occurrence."""
        return self._call("ProcessRole", htmlizer_pb2.ProcessRoleRequest(role=role, value=value, post=post)).html

    def process_roles(self, post, roles):
        """One page's roles (ProcessRoles): roles are (role, value) or (role, value, line) tuples; answers one HTML
        string per occurrence, in order. A role error raises PluginError with the occurrence's role_index."""
        return list(self._call("ProcessRoles", htmlizer_pb2.ProcessRolesRequest(post=post,
                                                                                roles=_occurrences(roles))).html)

    def process_contents(self, html, post):
        """One page's body (ProcessContents): the new body."""
        return self._call("ProcessContents", htmlizer_pb2.ProcessContentsRequest(html=html, post=post)).html

    def process_roles_batch(self, pages):
        """Several pages' roles in one ProcessRolesBatch call, as the build sends them: pages are (post, roles)
        pairs; answers one result per page, in order: its list of HTML strings, or a PageError."""
        request = htmlizer_pb2.ProcessRolesBatchRequest(pages=[
            htmlizer_pb2.ProcessRolesRequest(post=post, roles=_occurrences(roles)) for post, roles in pages])
        return [list(result.response.html) if result.WhichOneof("result") == "response"
                else self._page_error(result.error) for result in self._call("ProcessRolesBatch", request).results]

    def process_contents_batch(self, pages):
        """Several pages' bodies in one ProcessContentsBatch call: pages are (html, post) pairs; answers one result
        per page, in order: its new body, or a PageError."""
        request = htmlizer_pb2.ProcessContentsBatchRequest(pages=[
            htmlizer_pb2.ProcessContentsRequest(html=html, post=post) for html, post in pages])
        return [result.response.html if result.WhichOneof("result") == "response"
                else self._page_error(result.error) for result in self._call("ProcessContentsBatch", request).results]

    @staticmethod
    def _page_error(error):
        return PageError(error.message, error.role_index if error.HasField("role_index") else None)

    # What it wrote, and the end.

    def wait_for_log(self, message, timeout=10):
        """The first entry of logs with this message, waited for: stderr is read as the plugin writes it, so a line
        written during a call may reach logs just after the call's answer. Fails (AssertionError) after timeout
        seconds, or once the plugin's stderr ended without it."""
        def found():
            return next((entry for entry in self.logs if entry.message == message), None)
        with self._logged:
            self._logged.wait_for(lambda: found() is not None or self._stderr_ended, timeout)
            entry = found()
        if entry is None:
            raise AssertionError("plugin %s logged no %r in %s s; its stderr:\n%s"
                                 % (self.name, message, timeout, self.stderr))
        return entry

    @property
    def stderr(self):
        """Everything the plugin wrote on stderr so far, as text."""
        return "".join(line + "\n" for line in self._stderr)

    def close(self):
        """Shuts the plugin down as the build does and removes what the test made; fails (AssertionError) unless
        the plugin exited with status 0. Closing again does nothing."""
        self._stop(check=True)

    def _stop(self, check):
        if self._closed:
            return
        self._closed = True
        killed = False
        try:
            if self._channel is not None:
                try:
                    grpc_controller_pb2_grpc.GRPCControllerStub(self._channel).Shutdown(
                        grpc_controller_pb2.Empty(), timeout=SHUTDOWN_GRACE)
                except grpc.RpcError:
                    pass  # as the build: the exit status tells what happened
            self._broker_queue.put(None)
            try:
                self._process.wait(timeout=SHUTDOWN_GRACE)
            except subprocess.TimeoutExpired:
                killed = True
                self._process.kill()
                self._process.wait()
            self.returncode = self._process.returncode
        finally:
            if self._channel is not None:
                self._channel.close()
            for server in self._sites:
                server.stop(None)
            self._stdout_reader.join(SHUTDOWN_GRACE)
            self._stderr_reader.join(SHUTDOWN_GRACE)
            self._process.stdout.close()
            self._process.stderr.close()
            self._socket_dir.close()
        if check and killed:
            raise AssertionError("plugin %s did not exit within %gs of GRPCController.Shutdown; killed it%s"
                                 % (self.name, SHUTDOWN_GRACE, self._stderr_tail()))
        if check and self.returncode != 0:
            raise AssertionError("plugin %s exited with status %d%s" % (self.name, self.returncode,
                                                                        self._stderr_tail()))

    def _stderr_tail(self):
        stderr = self.stderr.strip()
        return "; it wrote on stderr:\n" + "\n".join(stderr.splitlines()[-20:]) if stderr else ""

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.close()
        else:
            self._stop(check=False)  # the test's own failure is the one to report
        return False

    def __repr__(self):
        return "PluginUnderTest(%r, pid=%d)" % (self.command, self.pid)


def start(command, env=None, cwd=None, name=None, start_timeout=START_TIMEOUT, call_timeout=CALL_TIMEOUT):
    """Starts a plugin as the build does and connects to it; see PluginUnderTest. command: the executable (a
    string or path, run as the build runs an <executable>) or a command line (a list). env: the environment to
    start from (default: this process's); the host's variables are added to it."""
    return PluginUnderTest(command, env=env, cwd=cwd, name=name, start_timeout=start_timeout,
                           call_timeout=call_timeout)


class PluginTestCase(unittest.TestCase):
    """A test case whose tests share one plugin process: set command (what start() takes) and, if the tests need
    one Configure call first, properties and pages; the plugin is self.plugin (started before the class's first test,
    closed after its last, which fails the class unless the plugin exits with status 0).

        class AbbrTest(testing.PluginTestCase):
            command = "./abbr_plugin.py"
            properties = {"CSS": "Cascading Style Sheets"}

            def test_abbr(self):
                self.assertEqual(self.plugin.process_role("abbr", "CSS", testing.post("a.md")), ...)
    """
    command = None
    env = None
    properties = None
    pages = None
    plugin = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.command is None:
            raise TypeError("%s sets no command: the plugin to start (see htmlize_plugin.testing.start)" % cls.__name__)
        cls.plugin = start(cls.command, env=cls.env)
        try:
            if cls.properties is not None or cls.pages is not None:
                cls.plugin.configure(cls.properties, pages=cls.pages)
        except BaseException:
            cls.plugin._stop(check=False)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.plugin is not None:
                cls.plugin.close()
        finally:
            cls.plugin = None
            super().tearDownClass()
