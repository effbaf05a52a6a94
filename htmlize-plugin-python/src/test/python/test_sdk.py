"""The SDK and htmlize_plugin.testing together, with a real plugin process (sdk_test_plugin.py): the calls, the site
through the broker, role errors at their occurrence, the batch calls, hclog logs, the clean exit, and the exit of a
plugin whose host dies."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unittest

import grpc

from htmlize_plugin import testing
from support import SDK_TEST_PLUGIN, plugin_command, wait_for_exit

GUIDE = testing.post("docs/guide.md", title="The guide", author="Ann")
HOME = testing.post("index.md", title="Home")


class SdkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plugin = testing.start(plugin_command(SDK_TEST_PLUGIN))
        cls.plugin.configure({"suffix": "!"}, pages=[GUIDE, HOME])

    @classmethod
    def tearDownClass(cls):
        cls.plugin.close()

    def test_hooks(self):
        self.assertEqual(self.plugin.hooks(), ["role:title", "role:refuse", "role:number", "role:fail", "role:echo",
                                               "role:log", "contents"])

    def test_roles_reach_the_site_through_the_broker_and_get_the_properties(self):
        self.assertEqual(self.plugin.process_roles(HOME, [("title", "docs/guide.md"), ("echo", "hi")]),
                         ["The guide", "hi!"])
        self.assertEqual(self.plugin.process_role("title", "./index.md", GUIDE), "Home")

    def test_contents_see_every_page_of_the_site(self):
        self.assertEqual(self.plugin.process_contents("<p>x</p>", GUIDE), "<p>x</p><!-- pages: 2 -->")

    def test_a_role_error_names_its_occurrence(self):
        with self.assertRaises(testing.PluginError) as raised:
            self.plugin.process_roles(GUIDE, [("echo", "a"), ("refuse", "b"), ("echo", "c")])
        self.assertEqual(raised.exception.message, "refused b")
        self.assertEqual(raised.exception.role_index, 1)
        self.assertEqual(raised.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        with self.assertRaises(testing.PluginError) as raised:
            self.plugin.process_role("title", "docs/missing.md", GUIDE)
        self.assertEqual((raised.exception.message, raised.exception.role_index), ("no page docs/missing.md", 0))

    def test_other_failures_name_their_type_and_answers_must_be_strings(self):
        with self.assertRaises(testing.PluginError) as raised:
            self.plugin.process_role("number", "x", GUIDE)
        self.assertEqual(raised.exception.code, grpc.StatusCode.INTERNAL)
        self.assertEqual(raised.exception.message, "TypeError: process_role returned int, not a string")
        with self.assertRaises(testing.PluginError) as raised:
            self.plugin.process_contents("<!-- none -->", GUIDE)
        self.assertEqual(raised.exception.message, "TypeError: process_contents returned None, not a string")
        self.assertIsNone(raised.exception.role_index)
        with self.assertRaisesRegex(testing.PluginError, r"^ProcessRoles failed: INTERNAL: KeyError: 'k' \(role index 0\)$"):
            self.plugin.process_roles(GUIDE, [("fail", "k")])

    def test_batches_answer_every_page_on_its_own(self):
        self.assertEqual(self.plugin.process_roles_batch([
            (GUIDE, [("echo", "a"), ("title", "index.md")]),
            (HOME, [("echo", "b"), ("echo", "c"), ("refuse", "d")]),
            (HOME, []),
        ]), [["a!", "Home"], testing.PageError("refused d", 2), []])
        self.assertEqual(self.plugin.process_contents_batch([("<p>1</p>", GUIDE), ("<!-- none -->", HOME)]), [
            "<p>1</p><!-- pages: 2 -->",
            testing.PageError("TypeError: process_contents returned None, not a string", None)])

    def test_logs_reach_stderr_as_hclog_json(self):
        self.assertEqual(self.plugin.process_role("log", "hello", GUIDE), "hello!")
        entry = self.plugin.wait_for_log("logged hello")
        self.assertEqual([e for e in self.plugin.logs if e.message == "logged hello"], [entry], self.plugin.stderr)
        self.assertEqual(entry.level, "info")
        self.assertEqual(entry.fields, {"page": "docs/guide.md", "count": "5"})
        line = json.loads(entry.line)
        self.assertRegex(line["@timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        # The SDK's own debug line with the address, before any call.
        self.assertIn(("debug", "plugin address"), [(e.level, e.message) for e in self.plugin.logs])


class LifecycleTest(unittest.TestCase):
    def test_close_shuts_the_plugin_down_with_status_0_and_removes_its_directory(self):
        plugin = testing.start(plugin_command(SDK_TEST_PLUGIN))
        self.assertTrue(os.path.isdir(plugin.socket_dir))
        self.assertTrue(os.path.exists(plugin.address))
        self.assertEqual(plugin.environment["PLUGIN_HOST_PID"], str(os.getpid()))
        self.assertEqual(plugin.environment["PLUGIN_PROTOCOL_VERSIONS"], "1")
        self.assertEqual(plugin.environment["HTMLIZE_PLUGIN"], "5f1d3c9a7e2b4c86")
        plugin.configure({}, pages=[GUIDE])
        plugin.close()
        self.assertEqual(plugin.returncode, 0)
        self.assertFalse(os.path.exists(plugin.socket_dir))
        self.assertTrue(wait_for_exit(plugin.pid, 0))
        plugin.close()  # again: nothing

    def test_a_plugin_configured_without_pages_has_no_site(self):
        with testing.start(plugin_command(SDK_TEST_PLUGIN)) as plugin:
            plugin.configure({"suffix": "?"})
            self.assertEqual(plugin.process_role("echo", "x", GUIDE), "x?")
            with self.assertRaisesRegex(testing.PluginError, "the host offers no site"):
                plugin.process_contents("<p>x</p>", GUIDE)

    def test_a_plugin_that_does_not_start_fails_saying_why(self):
        with self.assertRaises(testing.PluginStartError) as raised:
            testing.start([sys.executable, "-c", "import sys; sys.stderr.write('no luck\\n'); sys.exit(3)"])
        self.assertRegex(str(raised.exception), r"exited with status 3 before printing its handshake line; it wrote "
                                                r"on stderr:\nno luck$")
        with self.assertRaisesRegex(testing.PluginStartError, "cannot run /nonexistent/plugin.py"):
            testing.start("/nonexistent/plugin.py")
        # A script that is not executable, named by a relative path as a site names it.
        not_executable = os.path.relpath(os.path.abspath(__file__))
        self.assertFalse(os.access(not_executable, os.X_OK))
        with self.assertRaisesRegex(testing.PluginStartError, r"cannot run %s: \[Errno 13\] .*chmod \+x"
                                    % re.escape(os.path.abspath(__file__))):
            testing.start(not_executable)

    def test_an_exit_status_other_than_0_fails_the_close(self):
        plugin = testing.start(plugin_command(SDK_TEST_PLUGIN))
        os.kill(plugin.pid, signal.SIGTERM)
        self.assertTrue(wait_for_exit(plugin.pid, 10))
        with self.assertRaisesRegex(AssertionError, "exited with status -15"):
            plugin.close()
        self.assertFalse(os.path.exists(plugin.socket_dir))

    def test_the_plugin_exits_when_its_host_dies(self):
        # A host in between, started from here: it starts the plugin with the environment the helper gives (naming
        # itself as the host), says the plugin's pid and handshake line, and waits; then it is killed with SIGKILL.
        host_code = (
            "import subprocess, sys\n"
            "from htmlize_plugin import testing\n"
            "plugin = subprocess.Popen([sys.executable, sys.argv[1]], env=testing.environment(sys.argv[2]),\n"
            "                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)\n"
            "line = plugin.stdout.readline().decode()\n"
            "sys.stdout.write('%d %s' % (plugin.pid, line))\n"
            "sys.stdout.flush()\n"
            "sys.stdin.read()\n")
        directory = tempfile.mkdtemp(prefix="plugin-watch-")
        try:
            host = subprocess.Popen([sys.executable, "-c", host_code, SDK_TEST_PLUGIN, directory],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                pid, line = host.stdout.readline().decode().split(" ", 1)
                pid = int(pid)
                self.assertRegex(line, r"^1\|1\|unix\|%s/plugin%d\|grpc\|$" % (re.escape(directory), pid))
                self.assertTrue(os.path.exists(os.path.join(directory, "plugin%d" % pid)))
            finally:
                host.kill()
                host.wait()
            self.assertTrue(wait_for_exit(pid, 10), "the plugin still runs 10 s after its host died")
            # Its stderr was the host's, whose pipe comes here: ends when the plugin is gone.
            stderr = host.stderr.read().decode()
            host.stdin.close()
            host.stdout.close()
            host.stderr.close()
            self.assertIn('"@message":"the host process is gone; exiting"', stderr)
            self.assertEqual(os.listdir(directory), [], "the plugin left its socket")
        finally:
            os.rmdir(directory)


if __name__ == "__main__":
    unittest.main()
