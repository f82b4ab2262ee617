package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.ingest.GroupCommitLimits;

class WorkerGroupsTest {
  @Test
  void withoutWriteBehindAWorkerGroupIsOneStoreCommitOfTheConfiguredSize() {
    CollectorConfig plain = CollectorConfig.create(b -> {});
    CollectorConfig spooled = CollectorConfig.create(b -> b.spoolDirectory(Path.of("s")));

    assertThat(Collector.workerGroups(plain)).isEqualTo(GroupCommitLimits.DEFAULT);
    assertThat(Collector.workerGroups(spooled)).isEqualTo(GroupCommitLimits.DEFAULT);
  }

  @Test
  void withWriteBehindWorkerGroupsStaySmallAndTheReplayKeepsTheLargeOnes() {
    CollectorConfig behind =
        CollectorConfig.create(b -> b.spoolDirectory(Path.of("s")).spoolWriteBehind(true));
    CollectorConfig smaller =
        CollectorConfig.create(
            b ->
                b.spoolDirectory(Path.of("s"))
                    .spoolWriteBehind(true)
                    .groupCommit(new GroupCommitLimits(16, 1 << 20)));

    assertThat(Collector.workerGroups(behind)).isEqualTo(GroupCommitLimits.WRITE_BEHIND);
    assertThat(behind.spool().replayGroup()).isEqualTo(GroupCommitLimits.DEFAULT);
    assertThat(Collector.workerGroups(smaller)).isEqualTo(new GroupCommitLimits(16, 128 * 1024));
  }
}
