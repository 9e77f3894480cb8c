package io.zab.bench.cluster;

import io.zab.ZabNode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;

/**
 * How the benchmark's in-process load hands a payload to zab: {@code ZabNode.submitWithoutCopy} where the zab on the
 * classpath has it (the load never changes a payload after submitting it, which is that method's one promise), else
 * {@code submit}. Looked up by name so that a baseline build from before the method ({@code BASELINE=<commit>})
 * still runs. {@code ZAB_BENCH_SUBMIT_COPY=1} forces {@code submit}, to measure the copy itself.
 */
final class InProcessSubmit implements InProcessLoad.Submitter {
  private final InProcessLoad.Submitter how;
  private final String description;

  private InProcessSubmit(InProcessLoad.Submitter how, String description) {
    this.how = how;
    this.description = description;
  }

  /** The submitter for {@code node}: without the copy where available and not turned off. */
  static InProcessSubmit of(ZabNode node) {
    InProcessSubmit copying = new InProcessSubmit(node::submit, "ZabNode.submit (copies the payload)");
    if ("1".equals(System.getenv("ZAB_BENCH_SUBMIT_COPY"))) {
      return copying;
    }
    MethodHandle withoutCopy;
    try {
      withoutCopy = MethodHandles.publicLookup().findVirtual(ZabNode.class, "submitWithoutCopy",
          MethodType.methodType(CompletableFuture.class, byte[].class)).bindTo(node);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return copying; // a zab from before submitWithoutCopy
    }
    return new InProcessSubmit(payload -> {
      try {
        return (CompletableFuture<?>) withoutCopy.invoke(payload);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("submitWithoutCopy threw " + t, t);
      }
    }, "ZabNode.submitWithoutCopy");
  }

  @Override
  public CompletableFuture<?> submit(byte[] payload) {
    return how.submit(payload);
  }

  @Override
  public String describe() {
    return description;
  }
}
