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
/// the peer alternate within each round; medians over the rounds. Options: <c>--mib</c> (256), <c>--rounds</c> (3),
/// <c>--warmup</c> (1).
/// </summary>
internal static class CheckpointIoBenchmark
{
    private const int BlockSize = 8 << 20;
    private const int Parallelism = 4;
    private const int CopyBuffer = 1 << 20;

    public static async Task<int> RunAsync(BenchmarkArguments args)
    {
        int mib = args.Get("--mib", 256), rounds = args.Get("--rounds", 3), warmup = args.Get("--warmup", 1);
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
            writeOurs: i => fileStore.PutAsync($"ckpt/round-{i}", new MemoryStream(data, writable: false), WriteCondition.None, CancellationToken.None),
            readOurs: i => ReadOursAsync(fileStore, $"ckpt/round-{i}"),
            writeRaw: i => WriteRawFileAsync(folder.File($"raw-{i}"), data),
            readRaw: i => ReadRawFileAsync(folder.File($"raw-{i}")),
            cleanUp: async i =>
            {
                await fileStore.DeleteAsync($"ckpt/round-{i}", null, CancellationToken.None);
                File.Delete(folder.File($"raw-{i}"));
            });

        // Azurite keeps every blob in memory until it is deleted and collected: room for all rounds, ours and raw.
        using var azurite = await AzuriteProcess.StartAsync(extentMemoryLimitMegabytes: (mib * 2 * (rounds + warmup)) + 1024);
        Console.WriteLine($"azurite: pid {azurite.ProcessId}, {azurite.BlobEndpoint}");
        var blobStore = new AzureBlobObjectStore(
            Options.Create(new AzureBlobObjectStoreOptions
            {
                ConnectionString = azurite.ConnectionString,
                ContainerName = "checkpoint-io",
                BlockSize = BlockSize,
                MaxParallelBlocks = Parallelism,
            }),
            NullLogger<AzureBlobObjectStore>.Instance,
            TimeProvider.System);
        var rawContainer = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("checkpoint-io-raw");
        await rawContainer.CreateIfNotExistsAsync();
        var transfer = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = Parallelism };
        var blob = await MeasureAsync(
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
            });

        PrintLoad("after the run");
        Console.WriteLine("summary (median MiB/s, ours / raw):");
        foreach (var (target, result) in new[] { ("filesystem", fs), ("azurite", blob) })
        {
            Console.WriteLine(Format($"  {target,-10} write {result.OursWrite,6:F0} vs {result.RawWrite,6:F0} = {result.OursWrite / result.RawWrite:F2}x   read {result.OursRead,6:F0} vs {result.RawRead,6:F0} = {result.OursRead / result.RawRead:F2}x   (target >= 0.8x)"));
        }

        Console.WriteLine(Format($"  the floor of verifying: raw+SHA-256 / raw on the filesystem: write {hashed.OursWrite / hashed.RawWrite:F2}x, read {hashed.OursRead / hashed.RawRead:F2}x; ours / raw+SHA-256: write {fs.OursWrite / hashed.OursWrite:F2}x, read {fs.OursRead / hashed.OursRead:F2}x"));

        return 0;
    }

    private sealed record Rates(double OursWrite, double RawWrite, double OursRead, double RawRead);

    private static async Task<Rates> MeasureAsync(
        string target, int rounds, int warmup, int mib, string ours, string raw,
        Func<int, Task> writeOurs, Func<int, Task> readOurs, Func<int, Task> writeRaw, Func<int, Task> readRaw, Func<int, Task> cleanUp)
    {
        List<double> oursWrite = [], rawWrite = [], oursRead = [], rawRead = [];
        List<double> cpuOursWrite = [], cpuRawWrite = [], cpuOursRead = [], cpuRawRead = [];
        for (var i = 0; i < warmup + rounds; i++)
        {
            // Alternate who goes first, so neither always meets the other's leftovers (page cache, GC, write-back).
            var oursFirst = i % 2 == 0;
            double ow, rw, or, rr;
            if (oursFirst)
            {
                ow = await TimeAsync(() => writeOurs(i), cpuOursWrite);
                rw = await TimeAsync(() => writeRaw(i), cpuRawWrite);
                or = await TimeAsync(() => readOurs(i), cpuOursRead);
                rr = await TimeAsync(() => readRaw(i), cpuRawRead);
            }
            else
            {
                rw = await TimeAsync(() => writeRaw(i), cpuRawWrite);
                ow = await TimeAsync(() => writeOurs(i), cpuOursWrite);
                rr = await TimeAsync(() => readRaw(i), cpuRawRead);
                or = await TimeAsync(() => readOurs(i), cpuOursRead);
            }

            await cleanUp(i);
            var label = i < warmup ? "warm-up" : $"round {i - warmup + 1}";
            Console.WriteLine(Format($"  {target} {label}: write {ours} {mib / ow:F0} MiB/s, {raw} {mib / rw:F0} MiB/s; read {ours} {mib / or:F0} MiB/s, {raw} {mib / rr:F0} MiB/s"));
            if (i >= warmup)
            {
                oursWrite.Add(ow);
                rawWrite.Add(rw);
                oursRead.Add(or);
                rawRead.Add(rr);
            }
        }

        // Warm-up CPU samples are dropped like its timings.
        foreach (var samples in new[] { cpuOursWrite, cpuRawWrite, cpuOursRead, cpuRawRead })
        {
            samples.RemoveRange(0, warmup);
        }

        Console.WriteLine(Format($"  {target} CPU of this process per object (median ms): write {ours} {Median(cpuOursWrite):F0}, {raw} {Median(cpuRawWrite):F0}; read {ours} {Median(cpuOursRead):F0}, {raw} {Median(cpuRawRead):F0}"));
        return new Rates(mib / Median(oursWrite), mib / Median(rawWrite), mib / Median(oursRead), mib / Median(rawRead));
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
