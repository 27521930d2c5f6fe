package io.windowpane.checkpoint;

import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per job (issue 34): a lock on a file beside what a live job writes (its checkpoint folder, its output
 * files), held for as long as the application runs. The operating system releases it when the process ends, however
 * it ends (kill -9 included), so a lock is never left behind to be cleared by hand. A second instance that finds it
 * held refuses to start (exit code 2), naming the holder the file records: host, pid, since when.
 *
 * <p>Locks are the operating system's advisory file locks ({@code fcntl}): they hold between processes of one host
 * and, on NFSv4 (or v3 with its lock manager) and most cluster file systems, between hosts that share the folder.
 * docs/operations.md says what holds where.
 */
public final class WriterLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;
  private final Path file;

  private WriterLock(FileChannel channel, FileLock lock, Path file) {
    this.channel = channel;
    this.lock = lock;
    this.file = file;
  }

  /**
   * Takes the lock {@code file}, or refuses: {@code property=value} names what the user configured that another
   * instance holds.
   */
  public static WriterLock take(Path file, String property, String value) {
    FileChannel channel = null;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisJvm) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new InvalidJobSpecException(property, value, "is in use by another running windowpane ("
            + (holder.isEmpty() ? "its holder is not recorded" : holder) + ", lock " + file + "): one instance"
            + " writes a job's checkpoints and outputs. Stop that one first (SIGTERM keeps its open windows for"
            + " this start), or give this one its own " + property);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(holder().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new WriterLock(channel, lock, file);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InvalidJobSpecException(property, value, "cannot be locked for this instance (" + file + "): "
          + e.getMessage(), e);
    }
  }

  /** Who holds the lock, as the next instance's refusal names it. */
  private static String holder() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return "held by pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now() + "\n";
  }

  public Path file() {
    return file;
  }

  /** Lets the lock go (the file stays: removing it would race with the next instance's lock on it). */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException ignored) {
      // the channel's close below releases it too
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held any more
      }
    }
  }
}
