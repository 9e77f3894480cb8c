package io.zab.bench.cluster;

/**
 * Load client for the zab cluster, run in its own JVM: one {@link SubmitClient} connection to the given
 * {@code ZabBenchServer}, writes kept {@code inFlight} outstanding by {@link ClosedLoop}. Prints one result
 * line per step.
 *
 * <p>Usage: {@code ZabLoadClient --connect 127.0.0.1:port --mode leader --steps 1x1024,256x1024
 * --warmup-ms 5000 --measure-ms 10000}
 */
public final class ZabLoadClient {

  private ZabLoadClient() {}

  public static void main(String[] argv) throws Exception {
    ExitWithParent.watchStdin();
    Args args = Args.parse(argv, "connect", "mode", "steps", "warmup-ms", "measure-ms");
    try (SubmitClient client = SubmitClient.connect(args.require("connect"))) {
      ClosedLoop.AsyncWriter submit =
          (payload, done) ->
              client.submit(payload).whenComplete(
                  (response, error) -> done.complete(error == null && response.status() == SubmitProtocol.OK));
      for (LoadStep step : LoadStep.parseList(args.require("steps"))) {
        System.out.println(
            ClosedLoop.run("zab", args.require("mode"), submit, step, args.getLong("warmup-ms", 5000),
                    args.getLong("measure-ms", 10000))
                .toLine());
        System.out.flush();
      }
    }
    System.exit(0);
  }
}
