using GenCluster.Training.Gan;
using GenCluster.Training.Local;
using Xunit.Abstractions;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Tests;

/// <summary>
/// A long run must not leak native memory: every tensor a step creates is freed by its dispose
/// scope. Resident set size is read from /proc; the GC runs first so managed garbage does not count.
/// </summary>
[Collection(FashionMnistCollection.Name)]
public sealed partial class NativeMemoryTests(FashionMnistFixture data, ITestOutputHelper output)
{
    /// <summary>Allowed RSS growth between step 100 and step 1,000 (allocator noise, not per-step leaks).</summary>
    private const long GrowthBoundBytes = 24L * 1024 * 1024;

    [Fact]
    public void Thousand_training_steps_keep_resident_memory_flat()
    {
        var options = new LocalTrainingOptions
        {
            Steps = 1000,
            BatchSize = 16,
            Threads = 1,
            Model = new DcganOptions { GeneratorWidth = 16, DiscriminatorWidth = 16 },
        };
        using var trainer = new LocalGanTrainer(options, data.Train);
        long baseline = 0;
        for (var step = 0; step < options.Steps; step++)
        {
            trainer.RunStep(step);
            if (step == 99)
            {
                baseline = ResidentBytes();
            }
        }

        var final = ResidentBytes();
        output.WriteLine($"RSS after step 100: {baseline / 1048576.0:F1} MiB, after step 1000: {final / 1048576.0:F1} MiB, growth {(final - baseline) / 1048576.0:F1} MiB (bound {GrowthBoundBytes / 1048576} MiB)");
        (final - baseline).Should().BeLessThan(GrowthBoundBytes);
    }

    [Fact]
    public void The_measurement_detects_a_leak_of_the_same_order()
    {
        // Control: 3,000 undisposed 32 KiB tensors (~94 MiB) kept reachable must exceed the bound even
        // when the allocator reuses memory freed earlier in the process,
        // or the test above could not see a per-step leak of one such tensor.
        var leaked = new List<GenCluster.Torch.Tensor>();
        var baseline = ResidentBytes();
        for (var i = 0; i < 3000; i++)
        {
            var t = ones([8192]);
            leaked.Add(t);
        }

        var final = ResidentBytes();
        output.WriteLine($"control growth {(final - baseline) / 1048576.0:F1} MiB");
        (final - baseline).Should().BeGreaterThan(GrowthBoundBytes);
        leaked.ForEach(t => t.Dispose());
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Hand freed heap pages back to the OS first: otherwise memory freed earlier in the process
        // stays resident, a leak can hide inside it, and RSS says more about history than about leaks.
        malloc_trim(0);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
