package io.windowpane.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.CountAndSumFn;
import io.windowpane.source.kafka.EventTimeWatermarkPolicy;
import java.io.ObjectStreamClass;
import org.junit.jupiter.api.Test;

/**
 * Classes whose objects a checkpoint or savepoint holds Java-serialized (a state's combine, the Kafka reader's spec)
 * must keep the serialVersionUID of the versions whose savepoints restore (SavepointCompatibilityIT): else a restore
 * fails with "local class incompatible". A change here breaks every earlier savepoint.
 */
class SavedClassesTest {

  @Test
  void theirSerialVersionUidsAreThoseOfEarlierVersions() {
    assertThat(ObjectStreamClass.lookup(CountAndSumFn.class).getSerialVersionUID())
        .isEqualTo(-7515356689416215511L);
    assertThat(ObjectStreamClass.lookup(EventTimeWatermarkPolicy.Factory.class).getSerialVersionUID())
        .isEqualTo(5107451665225708393L);
  }
}
