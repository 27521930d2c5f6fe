package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStateTest {

  @Test
  void aZombieHasEndedThoughJavaCallsItAlive() throws Exception {
    // sh starts `true`, then becomes `sleep 5`, which never reaps it: `true` ends and stays a zombie
    Process parent = new ProcessBuilder("sh", "-c", "true & exec sleep 5").start();
    try {
      List<ProcessHandle> children = List.of();
      for (int i = 0; i < 100 && children.isEmpty(); i++) {
        Thread.sleep(20);
        children = parent.children().toList();
      }
      assertThat(children).hasSize(1);
      ProcessHandle zombie = children.get(0);
      for (int i = 0; i < 100 && ProcessState.isRunning(zombie); i++) {
        Thread.sleep(20); // until `true` has ended
      }
      assertThat(zombie.isAlive()).isTrue();
      assertThat(ProcessState.isRunning(zombie)).isFalse();
      assertThat(ProcessState.isRunning(parent.toHandle())).isTrue();
      assertThat(ProcessState.isRunning(ProcessHandle.current().pid())).isTrue();
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }
}
