using System.Buffers.Binary;
using Xunit.Abstractions;

namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary><c>gencluster submit</c> and <c>watch</c> as processes against two real silo processes on loopback.</summary>
public sealed class CliSubmitTests(TwoSiloCluster cluster, ITestOutputHelper log) : IClassFixture<TwoSiloCluster>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private const string TinySpec = """
        name: cli-tiny
        model:
          family: mlp-gan
          latentDim: 8
          generator: {widths: [16]}
          discriminator: {widths: [16]}
        batchSize: 8
        steps: 6
        worldSize: 2
        shards: {generator: 2, discriminator: 1}
        checkpoints: {interval: 0}
        seed: 3
        """;

    [Fact]
    public async Task Submit_with_auto_devices_completes_prints_progress_and_writes_the_generator_then_watch_replays_it()
    {
        using var directory = new TemporaryDirectory("gencluster-cli-run");
        var spec = directory.File("tiny.yaml");
        await File.WriteAllTextAsync(spec, TinySpec);
        var id = $"cli-{Guid.NewGuid():N}";
        var output = directory.File("out");

        var (exit, stdout, stderr) = await CliProcess.RunAsync(Timeout,
            "submit", spec, "--gateway", cluster.Gateways, "--secret", TwoSiloCluster.Secret, "--cluster-id", TwoSiloCluster.ClusterId,
            "--id", id, "--output", output, "--log-every", "1");
        log.WriteLine(stdout);
        log.WriteLine(stderr);

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("on cli-a/cpu:0, cli-b/cpu:0", "auto places one worker on each silo's device, round-robin");
        for (var step = 1; step <= 6; step++)
        {
            stdout.Should().MatchRegex($@"\[\s*{step}/6\] Loss_D: -?\d+\.\d{{4}} Loss_G: -?\d+\.\d{{4}} .* \d+\.\d images/s");
        }

        stdout.Should().Contain($"completed {id}: 6 of 6 steps");
        var png = await File.ReadAllBytesAsync(Path.Combine(output, "samples.png"));
        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        var weights = await File.ReadAllBytesAsync(Path.Combine(output, "generator.safetensors"));
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(weights);
        var header = System.Text.Encoding.UTF8.GetString(weights, 8, (int)headerLength);
        header.Should().Contain("\"architecture\":\"mlp-gan-28\"").And.Contain("\"steps\":\"6\"");
        // G = Linear(8→16) + Linear(16→784), float32.
        (weights.Length - 8 - headerLength).Should().Be(4L * ((8 * 16) + 16 + (16 * 784) + 784));

        var (watchExit, watchOut, watchErr) = await CliProcess.RunAsync(Timeout,
            "watch", id, "--gateway", cluster.Gateways, "--secret", TwoSiloCluster.Secret, "--cluster-id", TwoSiloCluster.ClusterId, "--log-every", "3");
        watchExit.Should().Be(0, watchErr);
        watchOut.Should().MatchRegex(@"\[\s*3/6\] Loss_D").And.MatchRegex(@"\[\s*6/6\] Loss_D").And.Contain($"{id}: Completed after 6 of 6 steps");
    }

    [Fact]
    public async Task A_bad_spec_exits_2_naming_each_field_with_line_and_column()
    {
        using var directory = new TemporaryDirectory("gencluster-cli-bad");
        var invalid = directory.File("invalid.yaml");
        await File.WriteAllTextAsync(invalid, "name: bad\nmodel: {family: dcgan}\nsteps: 0\nworldSize: 3\n");

        var (exit, _, stderr) = await CliProcess.RunAsync(Timeout,
            "submit", invalid, "--gateway", cluster.Gateways, "--secret", TwoSiloCluster.Secret, "--cluster-id", TwoSiloCluster.ClusterId);

        exit.Should().Be(2);
        stderr.Should().Contain("invalid.yaml:3:8: steps:");

        var unsupported = directory.File("unsupported.yaml");
        await File.WriteAllTextAsync(unsupported, TinySpec.Replace("checkpoints: {interval: 0}", "optimizer: {discriminator: {type: sgd, lr: 0.1}}\ndevices: [cli-a/cpu:0, cli-b/cuda:0]"));
        (exit, _, stderr) = await CliProcess.RunAsync(Timeout,
            "submit", unsupported, "--gateway", cluster.Gateways, "--secret", TwoSiloCluster.Secret, "--cluster-id", TwoSiloCluster.ClusterId);

        exit.Should().Be(2);
        stderr.Should().MatchRegex(@"unsupported\.yaml:\d+:\d+: optimizer\.discriminator\.type: is sgd")
            .And.NotContain("checkpoints.interval", "the default checkpoint interval maps onto the plan")
            .And.MatchRegex(@"unsupported\.yaml:\d+:\d+: devices\[1\]: .*CUDA");
    }
}
