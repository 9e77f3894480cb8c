package io.zab.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.zab.NoQuorumException;
import io.zab.ZabException;
import io.zab.wire.Message.RejectCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The errors a caller can see: what the code produces, the Javadoc and docs/embedding.md's table agree. */
class ErrorContractTest {

  @Test
  void aServerThatCannotOrderARequestSaysNoQuorumWhicheverCodeCarriesIt() {
    // Every server takes writes (followers forward them): "not the leader" is never the caller's problem.
    for (RejectCode code : Set.of(RejectCode.NOT_LEADER, RejectCode.NO_QUORUM)) {
      ZabException e = Requests.toException(code, 3, 1024);
      assertThat(e).as("%s", code).isInstanceOf(NoQuorumException.class).hasMessageContaining("server 3");
      assertThat(e.notApplied()).isTrue();
    }
    assertThat(Requests.toException(RejectCode.NO_QUORUM, 0, 1024)).isInstanceOf(NoQuorumException.class);
  }

  @Test
  void everyRejectCodeMapsToAnErrorOfTheDocumentedTableAndEveryErrorThereExists() throws Exception {
    Set<String> permitted = Arrays.stream(ZabException.class.getPermittedSubclasses()).map(Class::getSimpleName)
        .collect(Collectors.toSet());
    Set<String> mapped = Arrays.stream(RejectCode.values()).filter(c -> c != RejectCode.NONE)
        .map(c -> Requests.toException(c, 2, 1024).getClass().getSimpleName()).collect(Collectors.toSet());
    String doc = Files.readString(Path.of("..", "docs", "embedding.md"));
    String errors = doc.substring(doc.indexOf("## Errors"), doc.indexOf("## Durability guarantees"));
    Set<String> documented = errors.lines().filter(l -> l.startsWith("| `")).map(l -> l.substring(3, l.indexOf('`', 3)))
        .collect(Collectors.toSet());
    assertThat(documented).as("docs/embedding.md error table").isEqualTo(permitted);
    assertThat(permitted).containsAll(mapped);
  }
}
