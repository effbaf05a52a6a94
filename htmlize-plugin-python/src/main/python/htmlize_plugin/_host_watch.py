"""Ends the plugin when its host dies, however it dies: imported first, before gRPC (which takes a while to load).

The host is the process PLUGIN_HOST_PID and PLUGIN_HOST_START name (htmlize's hosts pass their pid and start time),
else the parent as it is now. When it is gone, the plugin removes its sockets and the directory the host made for
them, and exits at once; nothing here needs a write to succeed (the host's end of stderr is usually closed by then).
"""
import os
import stat
import sys
import threading
import time

from htmlize_plugin import _handshake

# The sockets this plugin listens on and the directories it made for them: removed when its host dies.
sockets = []
directories = []


def _start_time(pid):
    """The kernel's start time of a process (field 22 of /proc/PID/stat), or None where there is none to read."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as proc_stat:
            text = proc_stat.read().decode("latin-1")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split(" ")
    if len(fields) < 20 or fields[0] == "Z":
        return None
    return fields[19]


def _host_alive():
    """A check of the host: the process PLUGIN_HOST_PID and PLUGIN_HOST_START name, else the parent as it is now."""
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


def _is_socket(path):
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False


def remove_left_by_dead_host():
    """Removes this plugin's sockets and directories, and the sockets and lock of the directory the host made."""
    for path in list(sockets):
        try:
            os.unlink(path)
        except OSError:
            pass
    for path in list(directories):
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


def _watch():
    alive = _host_alive()
    if not alive():
        remove_left_by_dead_host()
        os._exit(0)

    def watch():
        while alive():
            time.sleep(0.25)
        remove_left_by_dead_host()
        try:
            sys.stderr.write('{"@level":"warn","@message":"the host process is gone; exiting"}\n')
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - nothing may keep a plugin without a host alive
            pass
        os._exit(0)
    threading.Thread(target=watch, name="plugin-host-watch", daemon=True).start()


if os.environ.get(_handshake.MAGIC_COOKIE_KEY) == _handshake.MAGIC_COOKIE_VALUE:
    _watch()
