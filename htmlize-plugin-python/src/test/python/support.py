"""What the tests share: where the plugins are, and a bounded wait for a process that is not this one's child."""
import os
import select
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SDK_TEST_PLUGIN = os.path.join(HERE, "sdk_test_plugin.py")
CONFORMANCE_PLUGIN = os.path.join(HERE, "conformance_plugin.py")


def plugin_command(script):
    """A test plugin run with this Python, which finds htmlize_plugin on PYTHONPATH (the build's target/python)."""
    return [sys.executable, script]


def wait_for_exit(pid, timeout):
    """Waits until the process pid has exited (it need not be a child of this one); False if it still runs after
    timeout seconds."""
    if hasattr(os, "pidfd_open"):
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            return True
        except OSError:
            fd = None
        if fd is not None:
            try:
                readable, _, _ = select.select([fd], [], [], timeout)
                return bool(readable)
            finally:
                os.close(fd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # no pidfd here: look at the process until it is gone or a zombie
        try:
            with open("/proc/%d/stat" % pid) as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False
