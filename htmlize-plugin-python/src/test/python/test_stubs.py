"""python3 -m htmlize_plugin.stubs on the package as an author unpacks it (the zip's contents, without stubs): the
clear failure of an import before it, the stubs it makes with each generator, and a plugin beside the package."""
import os
import runpy
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

from htmlize_plugin import testing
from support import HERE

# The package as the zip holds it: the build stages it in target/sdk before zipping it.
ZIP_CONTENTS = os.environ.get("HTMLIZE_PYTHON_SDK_ZIP_DIR") or os.path.join(HERE, "..", "..", "..", "target", "sdk")
PROTOC = shutil.which("protoc")
GRPC_PYTHON_PLUGIN = shutil.which("grpc_python_plugin")

PLUGIN = textwrap.dedent('''\
    #!%s
    import htmlize_plugin


    class Shout:
        def hooks(self):
            return ["role:shout"]

        def process_role(self, role, value, post):
            return "<b>" + value.upper() + "</b>"


    if __name__ == "__main__":
        htmlize_plugin.serve(Shout())
    ''') % sys.executable


class StubsTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="htmlize-stubs-test-")
        self.addCleanup(shutil.rmtree, self.work)
        shutil.copytree(os.path.join(ZIP_CONTENTS, "htmlize_plugin"), os.path.join(self.work, "htmlize_plugin"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.empty_path = os.path.join(self.work, "bin")
        os.mkdir(self.empty_path)

    def run_python(self, *args, path=None, pythonpath=None):
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env.pop("PYTHONPATH", None)
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        if path is not None:
            env["PATH"] = path
        return subprocess.run([sys.executable] + list(args), cwd=self.work, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, check=False)

    def stubs(self):
        directory = os.path.join(self.work, "htmlize_plugin", "_stubs")
        return sorted(os.path.relpath(os.path.join(d, f), directory) for d, _, files in os.walk(directory)
                      for f in files)

    def test_the_zip_has_the_protos_and_the_handshake_but_no_stubs(self):
        package = os.path.join(self.work, "htmlize_plugin")
        self.assertFalse(os.path.exists(os.path.join(package, "_stubs")))
        for proto in ("htmlize/v1/htmlizer.proto", "plugin/grpc_broker.proto", "plugin/grpc_controller.proto",
                      "health/v1/health.proto"):
            self.assertTrue(os.path.isfile(os.path.join(package, "proto", proto)), proto)
        handshake = runpy.run_path(os.path.join(package, "_handshake.py"))
        self.assertEqual((handshake["MAGIC_COOKIE_KEY"], handshake["MAGIC_COOKIE_VALUE"], handshake["PROTOCOL_VERSION"]),
                         ("HTMLIZE_PLUGIN", "5f1d3c9a7e2b4c86", 1))

    def test_without_stubs_the_import_says_to_generate_them(self):
        result = self.run_python("-c", "import htmlize_plugin")
        self.assertEqual(result.returncode, 1)
        self.assertIn("ImportError: htmlize_plugin has no gRPC stubs in %s: run `python3 -m htmlize_plugin.stubs`"
                      % os.path.join(self.work, "htmlize_plugin", "_stubs"), result.stderr)

    @unittest.skipUnless(PROTOC and GRPC_PYTHON_PLUGIN, "needs protoc and grpc_python_plugin on PATH")
    def test_protoc_makes_stubs_again_and_again_and_a_plugin_beside_the_package_runs(self):
        first = self.run_python("-m", "htmlize_plugin.stubs")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertRegex(first.stdout, r"^htmlize_plugin.stubs: generated 10 stub modules for %s into %s from 5 "
                                       r"\.proto files in .*, with %s \(libprotoc [0-9.]+\) with %s\n$"
                         % (sys.executable, os.path.join(self.work, "htmlize_plugin", "_stubs"), PROTOC,
                            GRPC_PYTHON_PLUGIN))
        stubs = self.stubs()
        self.assertIn(os.path.join("htmlize", "v1", "htmlizer_pb2_grpc.py"), stubs)
        again = self.run_python("-m", "htmlize_plugin.stubs")
        self.assertEqual((again.returncode, again.stdout), (0, first.stdout), again.stderr)
        self.assertEqual(self.stubs(), stubs)
        self.assertEqual(sorted(os.listdir(os.path.join(self.work, "htmlize_plugin"))),
                         sorted(os.listdir(os.path.join(ZIP_CONTENTS, "htmlize_plugin")) + ["_stubs"]))
        imported = self.run_python("-c", "import htmlize_plugin; print(htmlize_plugin.__file__)")
        self.assertEqual(imported.stdout, os.path.join(self.work, "htmlize_plugin", "__init__.py") + "\n",
                         imported.stderr)

        # The plugin as an author writes it, beside the package, run as the build runs an <executable>; a module
        # named like a stub package (plugin.py) beside it does not shadow the stubs.
        script = os.path.join(self.work, "shout_plugin.py")
        with open(script, "w") as out:
            out.write(PLUGIN)
        os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
        with open(os.path.join(self.work, "plugin.py"), "w") as out:
            out.write("raise SystemExit('the stubs were shadowed')\n")
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        with testing.start(script, env=env) as plugin:
            plugin.configure({})
            self.assertEqual(plugin.process_role("shout", "hi", testing.post("a.md")), "<b>HI</b>")

    @unittest.skipIf(PROTOC is None or GRPC_PYTHON_PLUGIN is None, "needs protoc and grpc_python_plugin to fake it")
    def test_grpc_tools_makes_them_where_protoc_is_not_on_path(self):
        fake = os.path.join(self.work, "fake", "grpc_tools")
        os.makedirs(fake)
        open(os.path.join(fake, "__init__.py"), "w").close()
        with open(os.path.join(fake, "protoc.py"), "w") as out:
            out.write("import os, sys\nif __name__ == '__main__':\n    os.execv(%r, [%r, %r] + sys.argv[1:])\n"
                      % (PROTOC, PROTOC, "--plugin=protoc-gen-grpc_python=" + GRPC_PYTHON_PLUGIN))
        result = self.run_python("-m", "htmlize_plugin.stubs", path=self.empty_path,
                                 pythonpath=os.path.dirname(fake))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.endswith(", with grpc_tools.protoc of %s\n" % sys.executable), result.stdout)
        imported = self.run_python("-c", "import htmlize_plugin")
        self.assertEqual(imported.returncode, 0, imported.stderr)

    def test_without_a_generator_it_says_what_to_install(self):
        try:
            import grpc_tools  # noqa: F401
            self.skipTest("grpc_tools is installed here")
        except ImportError:
            pass
        result = self.run_python("-m", "htmlize_plugin.stubs", path=self.empty_path)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn("htmlize_plugin.stubs: found neither protoc with grpc_python_plugin on PATH nor grpc_tools",
                      result.stderr)
        self.assertIn("apt-get install protobuf-compiler protobuf-compiler-grpc", result.stderr)
        self.assertIn("pip install grpcio-tools", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.work, "htmlize_plugin", "_stubs")))


if __name__ == "__main__":
    unittest.main()
