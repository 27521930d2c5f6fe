package io.windowpane.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.KafkaTestBroker;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topic side of the exactly-once commit protocol ({@link KafkaTopicCommitter}) against a real broker: a batch
 * is published once, also when it is committed again after a crash, and also after the consumer group that keeps
 * the last batch's number was deleted (issue 34 item 3: the records' own headers say it then).
 */
class KafkaTopicCommitterTest {

  private static KafkaTestBroker kafka;

  @BeforeAll
  static void broker() {
    kafka = new KafkaTestBroker();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void aBatchCommittedAgainIsSkippedWhetherTheGroupKeepsItsNumberOrNot() throws Exception {
    kafka.createTopic("rows-a", 3);
    KafkaTopicCommitter topic = committer("rows-a", "windowpane-rows-a-run-1");
    try (LineCommitter.Open open = topic.open("run-1")) {
      assertThat(open.lastCommitted()).isEqualTo(-1);
      open.commit(0, lines("a", "b", "c", "d"));
      open.commit(1, lines("e"));
    }
    try (LineCommitter.Open reopened = topic.open("run-1")) { // the group says 1
      assertThat(reopened.lastCommitted()).isEqualTo(1);
      reopened.commit(1, lines("e"));
    }

    kafka.deleteGroup("windowpane-rows-a-run-1"); // expired after 7 days, or removed by an operator
    try (LineCommitter.Open afterTheGroup = topic.open("run-1")) {
      assertThat(afterTheGroup.lastCommitted()).as("read back from the records' headers").isEqualTo(1);
      afterTheGroup.commit(0, lines("a", "b", "c", "d"));
      afterTheGroup.commit(1, lines("e"));
      afterTheGroup.commit(2, lines("f"));
    }
    assertThat(kafka.readCommitted("rows-a")).containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
  }

  /** Another run's records (a fresh start's) are not this run's: a new run starts at batch -1 whatever is there. */
  @Test
  void anotherRunsRecordsSayNothingAboutThisRun() throws Exception {
    kafka.createTopic("rows-b", 1);
    try (LineCommitter.Open old = committer("rows-b", "windowpane-rows-b-old").open("old")) {
      old.commit(0, lines("x"));
      old.commit(7, lines("y"));
    }
    KafkaTopicCommitter fresh = committer("rows-b", "windowpane-rows-b-new");
    try (LineCommitter.Open open = fresh.open("new")) {
      assertThat(open.lastCommitted()).isEqualTo(-1);
      open.commit(0, lines("z"));
    }
    kafka.deleteGroup("windowpane-rows-b-new");
    assertThat(fresh.readBatchFromTopic("new")).isZero();
    assertThat(fresh.readBatchFromTopic("old")).isEqualTo(7);
    assertThat(kafka.readCommitted("rows-b")).containsExactly("x", "y", "z");
  }

  /** More records after a run's last one than one read-back step: it still finds it, looking further back. */
  @Test
  void theReadBackLooksFurtherBackThanOneStep() throws Exception {
    kafka.createTopic("rows-c", 1);
    KafkaTopicCommitter topic = committer("rows-c", "windowpane-rows-c-run");
    try (LineCommitter.Open open = topic.open("run")) {
      open.commit(3, lines("mine"));
    }
    publishAnotherWritersRecords("rows-c", 1_000);
    assertThat(topic.readBatchFromTopic("run")).isEqualTo(3);
  }

  /**
   * More records of another writer after the run's last batch than a read-back looks through: where a restored
   * checkpoint shows the run has published (its lowest staged batch is not 0), the whole topic is read back.
   */
  @Test
  void aRunKnownToHavePublishedIsLookedForBeyondTheReadBackLimit() throws Exception {
    kafka.createTopic("rows-d", 1);
    KafkaTopicCommitter topic = committer("rows-d", "windowpane-rows-d-run");
    try (LineCommitter.Open open = topic.open("run")) {
      open.commit(3, lines("mine-3"));
      open.commit(4, lines("mine-4"));
    }
    publishAnotherWritersRecords("rows-d", KafkaTopicCommitter.READ_BACK_LIMIT + 100);
    kafka.deleteGroup("windowpane-rows-d-run");

    try (LineCommitter.Open resumed = topic.open("run")) {
      assertThat(resumed.lastCommitted()).as("not within the limit").isEqualTo(-1);
      resumed.committedBefore(4); // the checkpoint stages batches 4 and 5: batch 3 was published
      assertThat(resumed.lastCommitted()).isEqualTo(4);
      resumed.commit(4, lines("mine-4"));
      resumed.commit(5, lines("mine-5"));
    }
    assertThat(kafka.readCommitted("rows-d").stream().filter(line -> line.startsWith("mine")))
        .containsExactly("mine-3", "mine-4", "mine-5");
  }

  /** Another run's records, "theirs", in one batch. */
  private static void publishAnotherWritersRecords(String topic, int count) throws Exception {
    try (LineCommitter.Open other = committer(topic, "windowpane-" + topic + "-other").open("other")) {
      String[] many = new String[count];
      Arrays.fill(many, "theirs");
      other.commit(0, lines(many));
    }
  }

  private static KafkaTopicCommitter committer(String topic, String group) {
    return new KafkaTopicCommitter(topic, Map.of("bootstrap.servers", kafka.bootstrapServers()), group);
  }

  private static List<KV<String, String>> lines(String... values) {
    return Arrays.stream(values).map(v -> KV.of(v, v)).toList();
  }
}
