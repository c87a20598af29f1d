using GenCluster.Benchmarks;
using GenCluster.Benchmarks.Quality;
using GenCluster.Benchmarks.Runtime;
using GenCluster.Benchmarks.Storage;
using GenCluster.Benchmarks.Training;

// dotnet run --project tests/GenCluster.Benchmarks -c Release -- <benchmark> [options]
var name = args.Length > 0 ? args[0] : "help";
if (name == TcpPeerServer.Subcommand)
{
    // Hidden: the raw-socket peer, started by the runtime benchmarks as a second process.
    return await TcpPeerServer.RunAsync();
}

if (FidBenchmark.Handles(name))
{
    // The quality benchmarks take file paths, which the integer-only options below do not.
    return FidBenchmark.Run(name, args.Skip(1).ToArray());
}

var options = BenchmarkArguments.Parse(args.Skip(1).ToArray());
try
{
    return name switch
    {
        "gan-step" => GanStepBenchmark.Run(options),
        "grain-roundtrip" => await GrainRoundTripBenchmark.RunAsync(options),
        "grain-throughput" => await GrainThroughputBenchmark.RunAsync(options),
        "tensor-transfer" => await TensorTransferBenchmark.RunAsync(options),
        "dp-step" => await DataParallelStepBenchmark.RunAsync(options),
        "checkpoint-io" => await CheckpointIoBenchmark.RunAsync(options),
        "chaos-soak" => await ChaosSoakBenchmark.RunAsync(options),
        "allreduce" => await AllReduceBenchmark.RunAsync(options),
        "e2e" => await EndToEndBenchmark.RunAsync(options),
        _ => Usage(),
    };
}
finally
{
    // Why: an unhandled exception skips ProcessExit; never leave a silo or peer process behind.
    ChildProcesses.KillAll();
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: GenCluster.Benchmarks <benchmark> [options]
          gan-step          [--steps N] [--warmup N] [--threads N] [--batch N] [--rounds N]
          grain-roundtrip   [--steps N calls per round] [--warmup N] [--rounds N] [--payload BYTES]
          grain-throughput  [--seconds N per round] [--outstanding N] [--drivers N] [--rounds N]
          tensor-transfer   [--mib N] [--steps N transfers per round] [--warmup N] [--rounds N]
          fid-score         --generator FILE [--samples N] [--seed N] [--threads N] [--classifier FILE]
          fid-reference     [--steps N] [--batch N] [--seed N] [--threads N] [--samples N] [--output DIR] [--local]
          dp-step           [--batch N per worker] [--steps N] [--warmup N] [--threads N per worker] [--shards N per model]
          checkpoint-io     [--mib N object size] [--rounds N] [--warmup N] [--skip-azurite 1]
          chaos-soak        [--rounds N kills] [--interval N steps between checkpoints] [--seed N]
          allreduce         [--sizes MiB,MiB,..] [--worlds W,W,..] [--steps N timed] [--warmup N] [--shards N] [--bucket ELEMENTS] [--inflight N]
          e2e               [--batch N per worker] [--steps N timed per round] [--warmup N] [--rounds N] [--shards N per model] [--bucket ELEMENTS]
        """);
    return 2;
}
