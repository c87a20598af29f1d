using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GenCluster.Storage;
using GenCluster.Storage.Azure;
using GenCluster.Storage.FileSystem;
using GenCluster.Testing;
using GenCluster.Testing.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GenCluster.Benchmarks.Runtime.BenchmarkReport;

namespace GenCluster.Benchmarks.Storage;

/// <summary>
/// Writes and reads one checkpoint-sized object through our object stores versus the same bytes moved without
/// them, in the same run: the filesystem store (staged file, SHA-256 while writing, fsync, rename; verified read)
/// versus a raw <see cref="FileStream"/> write + fsync and read; the Azure Blob store on Azurite versus the SDK's own
/// <c>BlockBlobClient.UploadAsync</c> / <c>DownloadToAsync</c> with the same block size and parallelism. Ours and
/// the peer alternate within each round; medians over the rounds. Filesystem reads are measured twice: warm (the
/// bytes still in the page cache from the write) and cold (the file's pages evicted first, as on a node resuming
/// another's checkpoint). Ours writes from memory (<c>PutAsync(ReadOnlyMemory)</c>, what checkpoint shards use) and,
/// in a second pair, from a <see cref="Stream"/>. Options: <c>--mib</c> (256), <c>--rounds</c> (3), <c>--warmup</c>
/// (1), <c>--skip-azurite 1</c> (leaves the Azurite pair out).
/// </summary>
internal static class CheckpointIoBenchmark
{
    private const int BlockSize = 8 << 20;
    private const int Parallelism = 4;
    private const int CopyBuffer = 1 << 20;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int mib = args.Get("--mib", 256), rounds = args.Get("--rounds", 3), warmup = args.Get("--warmup", 1), skipAzurite = args.Get("--skip-azurite", 0);
        PrintEnvironment(Format($"checkpoint-io: one {mib} MiB object, {rounds} rounds after {warmup} warm-up, ours and the raw peer alternating"));
        var data = new byte[(long)mib << 20];
        new Random(42).NextBytes(data);
        var hashRate = MeasureSha256(data);
        Console.WriteLine(Format($"SHA-256 alone over the same bytes (one thread): {hashRate:F0} MiB/s"));

        using var folder = new TemporaryDirectory("checkpoint-io");
        var fileStore = new FileSystemObjectStore(folder.File("store"));
        var fs = await MeasureAsync(
            "filesystem",
            rounds,
            warmup,
            mib,
            "ours",
            "raw",
            writeOurs: i => fileStore.PutAsync($"ckpt/round-{i}", (ReadOnlyMemory<byte>)data, WriteCondition.None, CancellationToken.None),
            readOurs: i => ReadOursAsync(fileStore, $"ckpt/round-{i}"),
            writeRaw: i => WriteRawFileAsync(folder.File($"raw-{i}"), data),
            readRaw: i => ReadRawFileAsync(folder.File($"raw-{i}")),
            cleanUp: async i =>
            {
                await fileStore.DeleteAsync($"ckpt/round-{i}", null, CancellationToken.None);
                File.Delete(folder.File($"raw-{i}"));
            },
            files: i => (fileStore.PathOf($"ckpt/round-{i}"), folder.File($"raw-{i}")));

        // The same store written from a Stream (bytes copied into its buffers): manifests, and callers that stream.
        var fsStream = await MeasureAsync(
            "filesystem (Stream)",
            rounds,
            warmup,
            mib,
            "ours",
            "raw",
            writeOurs: i => fileStore.PutAsync($"ckpt/stream-{i}", new MemoryStream(data, writable: false), WriteCondition.None, CancellationToken.None),
            readOurs: i => ReadOursAsync(fileStore, $"ckpt/stream-{i}"),
            writeRaw: i => WriteRawFileAsync(folder.File($"raw-{i}"), data),
            readRaw: i => ReadRawFileAsync(folder.File($"raw-{i}")),
            cleanUp: async i =>
            {
                await fileStore.DeleteAsync($"ckpt/stream-{i}", null, CancellationToken.None);
                File.Delete(folder.File($"raw-{i}"));
            });

        Rates? blob = null;
        if (skipAzurite == 0)
        {
            // Azurite keeps every blob in memory until it is deleted and collected: room for all rounds, ours and raw.
            using var emulator = await AzuriteProcess.StartAsync(extentMemoryLimitMegabytes: (mib * 2 * (rounds + warmup)) + 1024);
            Console.WriteLine($"azurite: pid {emulator.ProcessId}, {emulator.BlobEndpoint}");
            var blobStore = new AzureBlobObjectStore(
                Options.Create(new AzureBlobObjectStoreOptions
                {
                    ConnectionString = emulator.ConnectionString,
                    ContainerName = "checkpoint-io",
                    BlockSize = BlockSize,
                    MaxParallelBlocks = Parallelism,
                }),
                NullLogger<AzureBlobObjectStore>.Instance,
                TimeProvider.System);
            var rawContainer = new BlobServiceClient(emulator.ConnectionString).GetBlobContainerClient("checkpoint-io-raw");
            await rawContainer.CreateIfNotExistsAsync();
            var transfer = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = Parallelism };
            blob = await MeasureAsync(
                "azurite",
                rounds,
                warmup,
                mib,
                "ours",
                "raw SDK",
                writeOurs: i => blobStore.PutAsync($"ckpt/round-{i}", new MemoryStream(data, writable: false), WriteCondition.None, CancellationToken.None),
                readOurs: i => ReadOursAsync(blobStore, $"ckpt/round-{i}"),
                writeRaw: i => rawContainer.GetBlobClient($"raw-{i}").UploadAsync(new MemoryStream(data, writable: false), new BlobUploadOptions { TransferOptions = transfer }),
                readRaw: i => rawContainer.GetBlobClient($"raw-{i}").DownloadToAsync(Stream.Null, new BlobDownloadToOptions { TransferOptions = transfer }),
                cleanUp: async i =>
                {
                    await blobStore.DeleteAsync($"ckpt/round-{i}", null, CancellationToken.None);
                    await rawContainer.GetBlobClient($"raw-{i}").DeleteIfExistsAsync();
                });
        }

        // What verification alone costs: the raw peer again, hashing every chunk it writes or reads on its own thread.
        var hashed = await MeasureAsync(
            "filesystem",
            rounds,
            warmup,
            mib,
            "raw+SHA-256",
            "raw",
            writeOurs: i => WriteRawFileAsync(folder.File($"hashed-{i}"), data, hash: true),
            readOurs: i => ReadRawFileAsync(folder.File($"hashed-{i}"), hash: true),
            writeRaw: i => WriteRawFileAsync(folder.File($"raw-{i}"), data),
            readRaw: i => ReadRawFileAsync(folder.File($"raw-{i}")),
            cleanUp: i =>
            {
                File.Delete(folder.File($"hashed-{i}"));
                File.Delete(folder.File($"raw-{i}"));
                return Task.CompletedTask;
            },
            files: i => (folder.File($"hashed-{i}"), folder.File($"raw-{i}")));

        PrintLoad("after the run");
        Console.WriteLine("summary (median MiB/s, ours / raw; target >= 0.8x):");
        foreach (var (target, result) in new[] { ("filesystem", fs), ("fs Stream", fsStream), ("azurite", blob) })
        {
            if (result is null)
            {
                continue;
            }

            var cold = double.IsNaN(result.OursColdRead)
                ? string.Empty
                : Format($"   cold read {result.OursColdRead,6:F0} vs {result.RawColdRead,6:F0} = {result.OursColdRead / result.RawColdRead:F2}x");
            Console.WriteLine(Format($"  {target,-10} write {result.OursWrite,6:F0} vs {result.RawWrite,6:F0} = {result.OursWrite / result.RawWrite:F2}x   warm read {result.OursRead,6:F0} vs {result.RawRead,6:F0} = {result.OursRead / result.RawRead:F2}x{cold}"));
        }

        Console.WriteLine(Format($"  the floor of verifying: raw+SHA-256 / raw on the filesystem: write {hashed.OursWrite / hashed.RawWrite:F2}x, warm read {hashed.OursRead / hashed.RawRead:F2}x, cold read {hashed.OursColdRead / hashed.RawColdRead:F2}x"));
        Console.WriteLine(Format($"  ours / raw+SHA-256: write {fs.OursWrite / hashed.OursWrite:F2}x, warm read {fs.OursRead / hashed.OursRead:F2}x, cold read {fs.OursColdRead / hashed.OursColdRead:F2}x"));

        return 0;
    }

    private sealed record Rates(double OursWrite, double RawWrite, double OursRead, double RawRead, double OursColdRead, double RawColdRead);

    private static async Task<Rates> MeasureAsync(
        string target, int rounds, int warmup, int mib, string ours, string raw,
        Func<int, Task> writeOurs, Func<int, Task> readOurs, Func<int, Task> writeRaw, Func<int, Task> readRaw, Func<int, Task> cleanUp,
        Func<int, (string Ours, string Raw)>? files = null)
    {
        List<double> oursWrite = [], rawWrite = [], oursRead = [], rawRead = [], oursCold = [], rawCold = [];
        List<double> cpuOursWrite = [], cpuRawWrite = [], cpuOursRead = [], cpuRawRead = [], cpuOursCold = [], cpuRawCold = [];
        for (var i = 0; i < warmup + rounds; i++)
        {
            // Alternate who goes first, so neither always meets the other's leftovers (page cache, GC, write-back).
            var oursFirst = i % 2 == 0;
            async Task<(double Ours, double Raw)> PairAsync(Func<int, Task> a, List<double> cpuA, Func<int, Task> b, List<double> cpuB)
            {
                if (oursFirst)
                {
                    var x = await TimeAsync(() => a(i), cpuA);
                    return (x, await TimeAsync(() => b(i), cpuB));
                }

                var y = await TimeAsync(() => b(i), cpuB);
                return (await TimeAsync(() => a(i), cpuA), y);
            }

            var (ow, rw) = await PairAsync(writeOurs, cpuOursWrite, writeRaw, cpuRawWrite);
            var (or, rr) = await PairAsync(readOurs, cpuOursRead, readRaw, cpuRawRead);
            var cold = string.Empty;
            var (oc, rc) = (double.NaN, double.NaN);
            if (files is not null)
            {
                // Both files are flushed (fsync), so every page is clean and can be dropped; the eviction is not timed.
                var (oursFile, rawFile) = files(i);
                PageCache.Evict(oursFile);
                PageCache.Evict(rawFile);
                (oc, rc) = await PairAsync(readOurs, cpuOursCold, readRaw, cpuRawCold);
                cold = Format($"; cold read {ours} {mib / oc:F0} MiB/s, {raw} {mib / rc:F0} MiB/s ({rc / oc:F2}x)");
            }

            await cleanUp(i);
            var label = i < warmup ? "warm-up" : $"round {i - warmup + 1}";
            Console.WriteLine(Format($"  {target} {label}: write {ours} {mib / ow:F0} MiB/s, {raw} {mib / rw:F0} MiB/s; warm read {ours} {mib / or:F0} MiB/s, {raw} {mib / rr:F0} MiB/s{cold}"));
            if (i >= warmup)
            {
                oursWrite.Add(ow);
                rawWrite.Add(rw);
                oursRead.Add(or);
                rawRead.Add(rr);
                oursCold.Add(oc);
                rawCold.Add(rc);
            }
        }

        // Warm-up CPU samples are dropped like its timings.
        foreach (var samples in new[] { cpuOursWrite, cpuRawWrite, cpuOursRead, cpuRawRead, cpuOursCold, cpuRawCold })
        {
            samples.RemoveRange(0, Math.Min(warmup, samples.Count));
        }

        var coldCpu = files is null ? string.Empty : Format($"; cold read {ours} {Median(cpuOursCold):F0}, {raw} {Median(cpuRawCold):F0}");
        Console.WriteLine(Format($"  {target} CPU of this process per object (median ms): write {ours} {Median(cpuOursWrite):F0}, {raw} {Median(cpuRawWrite):F0}; warm read {ours} {Median(cpuOursRead):F0}, {raw} {Median(cpuRawRead):F0}{coldCpu}"));
        return new Rates(
            mib / Median(oursWrite), mib / Median(rawWrite), mib / Median(oursRead), mib / Median(rawRead),
            files is null ? double.NaN : mib / Median(oursCold), files is null ? double.NaN : mib / Median(rawCold));
    }

    private static async Task<double> TimeAsync(Func<Task> action, List<double> cpuMilliseconds)
    {
        // This process's CPU time (all threads, user + system) tells what an operation costs apart from waiting
        // for the disk or for a CPU on a loaded machine; Azurite's own CPU is not in it.
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await action();
        var elapsed = watch.Elapsed.TotalSeconds;
        self.Refresh();
        cpuMilliseconds.Add((self.TotalProcessorTime - cpu).TotalMilliseconds);
        return elapsed;
    }

    private static async Task ReadOursAsync(IObjectStore store, string name)
    {
        await using var reader = await store.OpenReadAsync(name, CancellationToken.None) ?? throw new InvalidOperationException($"{name} is missing");
        await DrainAsync(reader.Content);
    }

    private static async Task WriteRawFileAsync(string path, byte[] data, bool hash = false)
    {
        // The peer does what a careful writer without the store does: write, then fsync (the store's checkpoints are durable too).
        using var sha256 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (var offset = 0L; offset < data.LongLength; offset += CopyBuffer)
        {
            var chunk = data.AsMemory((int)offset, (int)Math.Min(CopyBuffer, data.LongLength - offset));
            sha256?.AppendData(chunk.Span);
            await file.WriteAsync(chunk);
        }

        file.Flush(flushToDisk: true);
        sha256?.GetHashAndReset();
    }

    private static async Task ReadRawFileAsync(string path, bool hash = false)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        await DrainAsync(file, hash);
    }

    private static async Task DrainAsync(Stream stream, bool hash = false)
    {
        using var sha256 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = new byte[CopyBuffer];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            sha256?.AppendData(buffer, 0, read);
        }
    }

    private static double MeasureSha256(byte[] data)
    {
        SHA256.HashData(data.AsSpan(0, Math.Min(data.Length, 1 << 20)));
        var watch = Stopwatch.StartNew();
        SHA256.HashData(data);
        return (data.LongLength >> 20) / watch.Elapsed.TotalSeconds;
    }
}
