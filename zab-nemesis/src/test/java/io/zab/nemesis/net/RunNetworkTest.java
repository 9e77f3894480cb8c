package io.zab.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zab.nemesis.fault.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunNetworkTest {
  @Test
  void buildsOnAFreeSubnetAndRegistersTheTeardownFirst() {
    List<String> registeredAt = new ArrayList<>();
    RecordingRunner runner = new RecordingRunner(c -> c.startsWith("ip -4 -o addr")
        ? RecordingRunner.ok("4: eth0    inet 10.78.0.1/24 scope global eth0\n") : RecordingRunner.ok(""));
    RunNetwork net = RunNetwork.create(runner, "x1", 3, new SplittableRandom(3),
        n -> registeredAt.add("registered after " + runner.commands.size() + " commands"));
    assertThat(registeredAt).containsExactly("registered after 1 commands"); // only the address query ran
    assertThat(net.plan().clientOctet()).isNotEqualTo(0);
    assertThat(runner.commands).hasSize(1 + NetSetup.setup(net.plan()).size());
  }

  @Test
  void aFailedSetupCommandNamesItself() {
    RecordingRunner runner = new RecordingRunner(c -> c.startsWith("ip netns add zn-x2-2")
        ? RecordingRunner.fail("Cannot create namespace file: File exists") : RecordingRunner.ok(""));
    List<RunNetwork> created = new ArrayList<>();
    assertThatThrownBy(() -> RunNetwork.create(runner, "x2", 3, new SplittableRandom(1), created::add))
        .hasMessageContaining("ip netns add zn-x2-2").hasMessageContaining("File exists");
    assertThat(created).hasSize(1); // so the caller can still tear down what was built
  }

  @Test
  void applyRunsOnlyTheDifference() {
    RecordingRunner runner = new RecordingRunner(c -> RecordingRunner.ok(""));
    RunNetwork net = RunNetwork.create(runner, "x3", 3, new SplittableRandom(1), n -> { });
    runner.commands.clear();
    net.apply(Shapes.isolate(3, net.plan().ids()));
    assertThat(runner.commands).hasSize(4).allMatch(c -> c.contains("filter add"));
    runner.commands.clear();
    net.apply(Cut.NONE);
    assertThat(runner.commands).hasSize(4).allMatch(c -> c.contains("filter del"));
    assertThat(net.current()).isEqualTo(Cut.NONE);
  }

  @Test
  void teardownKillsWhatRunsInsideThenRemovesAndToleratesWhatIsGone() {
    AtomicInteger pidsAsked = new AtomicInteger();
    RecordingRunner runner = new RecordingRunner(c -> {
      if (c.startsWith("ip netns pids zn-x4-1")) {
        return RecordingRunner.ok(pidsAsked.getAndIncrement() == 0 ? "4242\n" : "");
      }
      if (c.startsWith("ip link del zv")) {
        return RecordingRunner.fail("Cannot find device \"zvx41p\"");
      }
      return RecordingRunner.ok("");
    });
    RunNetwork net = RunNetwork.create(runner, "x4", 3, new SplittableRandom(1), n -> { });
    runner.commands.clear();
    assertThat(net.teardown()).isEmpty();
    assertThat(runner.commands).contains("kill -KILL 4242", "ip netns del zn-x4-1", "ip netns del zn-x4-3",
        "ip link del znpx4", "ip link del zncx4");
    assertThat(runner.commands.indexOf("kill -KILL 4242")).isLessThan(runner.commands.indexOf("ip netns del zn-x4-1"));
  }

  @Test
  void teardownReportsWhatCouldNotBeRemoved() {
    RecordingRunner runner = new RecordingRunner(c -> c.equals("ip link del znpx5")
        ? RecordingRunner.fail("RTNETLINK answers: Operation not permitted") : RecordingRunner.ok(""));
    RunNetwork net = RunNetwork.create(runner, "x5", 3, new SplittableRandom(1), n -> { });
    assertThat(net.teardown()).singleElement().asString().contains("ip link del znpx5").contains("not permitted");
  }
}
