package io.windowpane.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerFilesTest {

  @Test
  void stagesTheApplicationAndThePipelinesLibrariesOnly() {
    List<String> files = List.of("/stage/classes", "/stage/lib/beam-sdks-java-core-2.70.0.jar",
        "/stage/lib/beam-runners-flink-1.19-2.70.0.jar", "/stage/lib/beam-sdks-java-io-kafka-2.70.0.jar",
        "/stage/lib/kafka-clients-3.9.2.jar", "/stage/lib/jackson-databind-3.1.7.jar", "/stage/lib/joda-time-2.14.0.jar",
        "/stage/lib/flink-runtime-1.19.0.jar", "/stage/lib/flink-shaded-netty-4.1.91.Final-17.0.jar",
        "/stage/lib/spring-boot-4.1.2.jar", "/stage/lib/tomcat-embed-core-11.0.27.jar",
        "/stage/lib/logback-classic-1.5.38.jar", "/stage/lib/beam-runners-direct-java-2.70.0.jar",
        "/stage/lib/kafka_2.13-3.9.2.jar", "/stage/lib/kafka-server-3.9.2.jar", "/stage/lib/scala-library-2.13.15.jar",
        "/stage/lib/micrometer-core-1.17.2.jar");
    assertThat(WorkerFiles.of(files)).containsExactly("/stage/classes", "/stage/lib/beam-sdks-java-core-2.70.0.jar",
        "/stage/lib/beam-runners-flink-1.19-2.70.0.jar", "/stage/lib/beam-sdks-java-io-kafka-2.70.0.jar",
        "/stage/lib/kafka-clients-3.9.2.jar", "/stage/lib/jackson-databind-3.1.7.jar", "/stage/lib/joda-time-2.14.0.jar");
  }
}
