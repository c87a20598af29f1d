using GenCluster.Benchmarks;

// dotnet run --project tests/GenCluster.Benchmarks -c Release -- gan-step [--steps N] [--warmup N] [--threads N] [--batch N]
var name = args.Length > 0 ? args[0] : "help";
var options = BenchmarkArguments.Parse(args.Skip(1).ToArray());
return name switch
{
    "gan-step" => GanStepBenchmark.Run(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: GenCluster.Benchmarks gan-step [--steps N] [--warmup N] [--threads N] [--batch N]");
    return 2;
}
