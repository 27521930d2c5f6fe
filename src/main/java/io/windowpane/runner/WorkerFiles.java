package io.windowpane.runner;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of the application's files a remote Flink cluster's workers need: the application's classes and the
 * libraries its pipeline runs with, not the cluster's own Flink jars nor what only this process uses.
 *
 * <p>Why: every job submission uploads the files to stage to the job manager, and each task manager downloads and
 * opens them. Staged whole, that was all 196 MB of the executable jar's libraries, for every job. Flink's jars are on
 * the cluster already, and Flink loads {@code org.apache.flink} classes from its own class path first, so staged
 * copies were never used; Spring Boot, Tomcat, the metrics registry, logback (the cluster logs through its own
 * binding), Beam's DirectRunner and the embedded Kafka broker run only in this process.
 */
final class WorkerFiles {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerFiles.class);

  /** Jar name prefixes of libraries the Flink cluster itself provides. */
  private static final List<String> ON_THE_CLUSTER = List.of("flink-");

  /** Jar name prefixes of libraries only the application's own process uses. */
  private static final List<String> THIS_PROCESS_ONLY = List.of(
      "spring-", "tomcat-", "micrometer-", "prometheus-metrics-", "HdrHistogram-", "logback-", "hibernate-validator-",
      "beam-runners-direct-java-",
      // the embedded Kafka broker (the workers' Kafka client is kafka-clients)
      "kafka_", "kafka-server-", "kafka-raft-", "kafka-storage-", "kafka-metadata-", "kafka-group-coordinator-",
      "kafka-transaction-coordinator-", "kafka-tools-api-", "scala-", "jackson-module-scala_", "zookeeper-");

  private WorkerFiles() {}

  /** The files among {@code files} (jars and class folders) to stage to a remote cluster. */
  static List<String> of(List<String> files) {
    List<String> staged = files.stream().filter(WorkerFiles::neededOnWorkers).toList();
    LOG.info("Staging {} of the application's {} files to the Flink cluster (left out: Flink's own jars, which the"
        + " cluster has, and Spring Boot, Tomcat, the DirectRunner and the embedded broker, which only this process"
        + " uses)", staged.size(), files.size());
    return staged;
  }

  static boolean neededOnWorkers(String file) {
    String name = Path.of(file).getFileName().toString();
    if (!name.endsWith(".jar")) {
      return true; // a class folder: the application's own classes
    }
    return ON_THE_CLUSTER.stream().noneMatch(name::startsWith)
        && THIS_PROCESS_ONLY.stream().noneMatch(name::startsWith);
  }
}
