package io.windowpane.runner;

import io.windowpane.launch.TempFolders;
import io.windowpane.net.LoopbackPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink configuration folder for the embedded local cluster, created once per application.
 *
 * <p>Why: inside Spring Boot's executable jar, the application's classes and libraries are nested jars that only
 * Spring Boot's class loader can read. A Flink job without user jars or classpaths gets the <em>system</em> class
 * loader for its user code (Flink 1.19 {@code BlobLibraryCacheManager}), which cannot see them, and the job fails
 * with {@code ClassNotFoundException: org.apache.flink.api.common.ExecutionConfig}. Giving the job one classpath
 * entry, an empty folder, makes Flink create a real user-code class loader whose parent is the class loader that
 * loaded Flink itself, which sees the whole application. No extraction, no JVM flags.
 *
 * <p>The folder also holds the cluster's temporary files, so that everything an embedded run writes is removed
 * when the application exits. The cluster's REST API listens on a loopback port chosen here, so that the job's
 * figures can be read while it runs ({@link FlinkRestFigures}).
 */
final class EmbeddedFlinkConf {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlinkConf.class);

  private final Path dir;
  private final int restPort;

  private EmbeddedFlinkConf(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /**
   * @param restoreFrom the checkpoint or savepoint the job resumes from, or null. Beam hands its
   *     {@code --savepointPath} only to a remote cluster; Flink's local executor reads {@code execution.savepoint.path}
   *     from this configuration instead.
   */
  static EmbeddedFlinkConf create(String restoreFrom) {
    try {
      Path dir = TempFolders.createRemovedAtExit("windowpane-flink-");
      Path emptyClasspath = Files.createDirectory(dir.resolve("empty-classpath"));
      Path tmp = Files.createDirectory(dir.resolve("tmp"));
      int restPort = LoopbackPort.free();
      // Flink's working files (its 22 MB RPC jar, minicluster_* and upload folders) go into this folder, which is
      // deleted on exit, instead of piling up in the system temp directory with every run.
      Files.writeString(dir.resolve("flink-conf.yaml"),
          "# Written by windowpane for its embedded Flink cluster: see EmbeddedFlinkConf.\n"
              + "pipeline.classpaths: " + emptyClasspath.toUri() + "\n"
              + "io.tmp.dirs: " + tmp + "\n"
              + "web.tmpdir: " + tmp + "\n"
              + "web.upload.dir: " + tmp + "\n"
              + "rest.address: 127.0.0.1\n"
              + "rest.bind-address: 127.0.0.1\n"
              + "rest.port: " + restPort + "\n"
              // metrics and watermarks over REST at most a second old (Flink's default: 10 s)
              + "metrics.fetcher.update-interval: 1000\n"
              + (restoreFrom == null ? "" : "execution.savepoint.path: " + restoreFrom + "\n"));
      LOG.info("Embedded Flink cluster: web dashboard and REST API on http://127.0.0.1:{}", restPort);
      return new EmbeddedFlinkConf(dir, restPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink configuration", e);
    }
  }

  String path() {
    return dir.toString();
  }

  URI restAddress() {
    return URI.create("http://127.0.0.1:" + restPort);
  }
}
