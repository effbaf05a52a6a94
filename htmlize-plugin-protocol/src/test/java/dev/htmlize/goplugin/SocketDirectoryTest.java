package dev.htmlize.goplugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket directories are private, named after their owner and locked by it: a sweep removes those whose owner is
 * gone (however it died, and even when its pid went to another process) and nothing else.
 */
class SocketDirectoryTest {
  @TempDir
  Path temp;

  @Test
  void aSocketDirectoryIsPrivateNamedAfterItsOwnerAndGoneWhenClosed() throws Exception {
    Path path;
    try (SocketDirectory dir = SocketDirectory.create(temp, 24)) {
      path = dir.path();
      assertThat(path.getParent()).isEqualTo(temp);
      assertThat(path.getFileName().toString()).startsWith("plugin-" + ProcessHandle.current().pid() + "-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwx------");
      Files.writeString(path.resolve("left-inside"), "x");
    }
    assertThat(path).doesNotExist();
  }

  @Test
  void aSweepRemovesTheDirectoriesOfDeadOwnersAndNothingElse() throws Exception {
    // Made first: making a socket directory sweeps its parent, and this test sweeps by hand below.
    SocketDirectory own = SocketDirectory.create(temp, 24);
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Path ofADeadPid = Files.createDirectories(temp.resolve("plugin-" + dead.pid() + "-1"));
    Files.writeString(ofADeadPid.resolve("plugin123"), "a socket, once");
    // A lock file nobody holds: its owner died, and its pid may run something else now.
    Path unlocked = Files.createDirectories(temp.resolve("plugin-" + ProcessHandle.current().parent().orElseThrow()
        .pid() + "-2"));
    Files.writeString(unlocked.resolve(".lock"), "");
    Path otherShape = Files.createDirectories(temp.resolve("plugin-12345678901234"));
    Path notOurs = Files.createDirectories(temp.resolve("mine-" + dead.pid() + "-3"));
    Process live = new ProcessBuilder("sleep", "60").start();
    try (own) {
      Path ofALiveProcess = Files.createDirectories(temp.resolve("plugin-" + live.pid() + "-4"));

      int removed = SocketDirectory.sweep(temp);

      assertThat(removed).isEqualTo(2);
      assertThat(ofADeadPid).doesNotExist();
      assertThat(unlocked).doesNotExist();
      assertThat(otherShape).isDirectory();
      assertThat(notOurs).isDirectory();
      assertThat(ofALiveProcess).isDirectory();
      assertThat(own.path()).isDirectory();
    } finally {
      live.destroyForcibly();
      live.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDirectoryStaysWhileAnotherProcessHoldsItsLock() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plugin-" + ProcessHandle.current().parent().orElseThrow().pid()
        + "-5"));
    Path lock = Files.writeString(dir.resolve(".lock"), "");
    // The holder is another JVM, as a live host would be (a lock of this JVM's would not tell a sweep anything).
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), lock.toString()).start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");

      assertThat(SocketDirectory.sweep(temp)).isZero();
      assertThat(dir).isDirectory();

      holder.destroyForcibly();
      holder.waitFor();
      assertThat(SocketDirectory.sweep(temp)).isEqualTo(1);
      assertThat(dir).doesNotExist();
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Holds an exclusive lock on a file until killed, as a host holds its socket directory's. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      try (var channel = java.nio.channels.FileChannel.open(Path.of(args[0]), java.nio.file.StandardOpenOption.WRITE)) {
        channel.lock();
        System.out.print("locked\n");
        System.out.flush();
        Thread.currentThread().join();
      }
    }
  }
}
