using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using GenCluster.Contracts.Training;
using GenCluster.Storage;

namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>
/// The silo's view of checkpoints in its object store (every silo of a cluster must use the same store): shard
/// objects, manifests as commit points, the newest checkpoint whose objects all verify, retention, and the markers of
/// running experiments. A silo without an object store has none, and experiments asking for checkpoints are refused.
/// </summary>
internal sealed class CheckpointStore(IObjectStore? store)
{
    private const int ReadChunk = 1 << 20;

    /// <summary>Whether the silo has an object store for checkpoints.</summary>
    public bool IsConfigured => store is not null;

    /// <summary>Where checkpoints go, for messages.</summary>
    public string Location => store?.Location ?? "(no checkpoint store)";

    private IObjectStore Store => store ?? throw new InvalidOperationException(
        "this silo has no checkpoint store: start it with --checkpoint-dir DIR (or Checkpoints:Provider=file|azure), or train with checkpoints: {interval: 0}");

    /// <summary>Writes one shard object (a name no other write uses) and describes it for the manifest.</summary>
    public async Task<CheckpointObject> WriteShardAsync(string name, ModelRole role, int shard, long offset, int length, byte[] bytes, CancellationToken cancellationToken)
    {
        // The bytes are in memory already: the store hashes and writes them in place, and its SHA-256 is of exactly
        // the bytes it wrote (the store contract), so it is the digest the manifest records; no second pass here.
        var written = await Store.PutAsync(name, (ReadOnlyMemory<byte>)bytes, WriteCondition.IfNoneExists, cancellationToken);
        if (written.Length != bytes.Length)
        {
            throw new InvalidOperationException($"the store recorded {written.Length} bytes for {name}; the shard wrote {bytes.Length}");
        }

        return new CheckpointObject(role, shard, offset, length, name, written.Sha256, bytes.Length);
    }

    /// <summary>Reads one shard object to its end, checking its size and SHA-256 against <paramref name="expected"/>, and decodes it.</summary>
    /// <exception cref="InvalidDataException">It is missing, damaged, or not the slice it should be.</exception>
    public async Task<ShardCheckpointContent> ReadShardAsync(CheckpointObject expected, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await using var reader = await Store.OpenReadAsync(expected.Name, cancellationToken)
                ?? throw new InvalidDataException($"checkpoint object {expected.Name} does not exist");
            // The store verifies the bytes against the length and SHA-256 it recorded while they stream, so comparing
            // those with the manifest's, before reading, covers the bytes without hashing them a second time.
            var stored = reader.Properties;
            if (stored.Length != expected.Bytes || !string.Equals(stored.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"checkpoint object {expected.Name} has {stored.Length} bytes with SHA-256 {stored.Sha256}; the manifest recorded {expected.Bytes} with {expected.Sha256}");
            }

            bytes = new byte[checked((int)stored.Length)];
            // In chunks: the store hashes each one while the next is read (one read of everything would hash after it).
            for (var offset = 0; offset < bytes.Length;)
            {
                var read = await reader.Content.ReadAsync(bytes.AsMemory(offset, Math.Min(ReadChunk, bytes.Length - offset)), cancellationToken);
                offset += read > 0 ? read : throw new InvalidDataException($"checkpoint object {expected.Name} ended after {offset} of {bytes.Length} bytes");
            }

            // The end of the object: the store's check runs there, and anything past the recorded length is refused.
            if (await reader.Content.ReadAsync(new byte[1], cancellationToken) != 0)
            {
                throw new InvalidDataException($"checkpoint object {expected.Name} is longer than its recorded {stored.Length} bytes");
            }
        }
        catch (ObjectCorruptedException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        var content = ShardCheckpointFormat.Decode(bytes);
        var h = content.Header;
        if (h.Model != CheckpointNames.ModelLetter(expected.Role) || h.Shard != expected.Shard || h.Offset != expected.Offset || h.Length != expected.Length)
        {
            throw new InvalidDataException($"checkpoint object {expected.Name} holds {h.Model}/{h.Shard} [{h.Offset}, +{h.Length}); the manifest expects {CheckpointNames.ModelLetter(expected.Role)}/{expected.Shard} [{expected.Offset}, +{expected.Length})");
        }

        return content;
    }

    /// <summary>
    /// Writes the manifest if none exists for its step (the commit point). Returns false when one already did: an
    /// earlier attempt committed that step, and its checkpoint stands.
    /// </summary>
    public async Task<bool> CommitManifestAsync(CheckpointManifest manifest, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(manifest, CheckpointJsonContext.Default.CheckpointManifest);
        using var content = new MemoryStream(json, writable: false);
        try
        {
            await Store.PutAsync(CheckpointNames.Manifest(manifest.Experiment, manifest.Step), content, WriteCondition.IfNoneExists, cancellationToken);
            return true;
        }
        catch (ObjectConditionFailedException)
        {
            return false;
        }
    }

    /// <summary>The steps of the experiment's committed manifests, newest first.</summary>
    public async Task<List<long>> ManifestStepsAsync(string experiment, CancellationToken cancellationToken)
    {
        var steps = new List<long>();
        await foreach (var entry in Store.ListAsync(CheckpointNames.ExperimentPrefix(experiment), cancellationToken))
        {
            if (CheckpointNames.StepOfManifest(experiment, entry.Name) is { } step)
            {
                steps.Add(step);
            }
        }

        steps.Sort((a, b) => b.CompareTo(a));
        return steps;
    }

    /// <summary>
    /// The newest manifest whose every object reads back with its recorded size and SHA-256 and matches
    /// <paramref name="worldSize"/> and <paramref name="seed"/>; null when there is none. Each rejected manifest is
    /// reported through <paramref name="rejected"/> with the reason.
    /// </summary>
    public async Task<CheckpointManifest?> FindNewestValidAsync(string experiment, int worldSize, ulong seed, Action<long, string> rejected, CancellationToken cancellationToken)
    {
        foreach (var step in await ManifestStepsAsync(experiment, cancellationToken))
        {
            try
            {
                var manifest = await ReadManifestAsync(experiment, step, cancellationToken);
                if (manifest.Experiment != experiment || manifest.Step != step || manifest.WorldSize != worldSize || manifest.Seed != seed)
                {
                    throw new InvalidDataException($"the manifest is for {manifest.Experiment} step {manifest.Step}, W={manifest.WorldSize}, seed {manifest.Seed}");
                }

                foreach (var entry in manifest.Objects)
                {
                    await ReadShardAsync(ToObject(entry), cancellationToken);
                }

                return manifest;
            }
            catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
            {
                rejected(step, e.Message);
            }
        }

        return null;
    }

    /// <summary>Deletes every checkpoint older than the <paramref name="keep"/> newest committed ones (manifest first, so none is ever half visible); returns the objects deleted.</summary>
    public async Task<int> ApplyRetentionAsync(string experiment, int keep, CancellationToken cancellationToken)
    {
        var steps = await ManifestStepsAsync(experiment, cancellationToken);
        if (steps.Count <= keep)
        {
            return 0;
        }

        var oldestKept = steps[keep - 1];
        var doomed = new List<string>();
        await foreach (var entry in Store.ListAsync(CheckpointNames.ExperimentPrefix(experiment), cancellationToken))
        {
            if (CheckpointNames.StepOfObject(experiment, entry.Name) is { } step && step < oldestKept)
            {
                doomed.Add(entry.Name);
            }
        }

        // Manifests go first: once a manifest is gone its checkpoint is not a candidate, whatever remains of it.
        var deleted = 0;
        foreach (var name in doomed.OrderBy(n => n.EndsWith("/manifest.json", StringComparison.Ordinal) ? 0 : 1))
        {
            if (await Store.DeleteAsync(name, null, cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Marks the experiment running, so silos re-activate its coordinator if its silo dies.</summary>
    public async Task MarkRunningAsync(string experiment, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(experiment), writable: false);
        await Store.PutAsync(CheckpointNames.RunningMarker(experiment), content, WriteCondition.None, cancellationToken);
    }

    /// <summary>Removes the running marker (the experiment ended).</summary>
    public Task ClearRunningAsync(string experiment, CancellationToken cancellationToken) =>
        Store.DeleteAsync(CheckpointNames.RunningMarker(experiment), null, cancellationToken);

    /// <summary>The ids of experiments marked running.</summary>
    public async IAsyncEnumerable<string> RunningAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in Store.ListAsync(CheckpointNames.RunningPrefix, cancellationToken))
        {
            yield return entry.Name[CheckpointNames.RunningPrefix.Length..];
        }
    }

    /// <summary>Reads the manifest of <paramref name="step"/>.</summary>
    public async Task<CheckpointManifest> ReadManifestAsync(string experiment, long step, CancellationToken cancellationToken)
    {
        await using var reader = await Store.OpenReadAsync(CheckpointNames.Manifest(experiment, step), cancellationToken)
            ?? throw new InvalidDataException($"the manifest of step {step} disappeared");
        return await JsonSerializer.DeserializeAsync(reader.Content, CheckpointJsonContext.Default.CheckpointManifest, cancellationToken)
            ?? throw new InvalidDataException($"the manifest of step {step} is null");
    }

    /// <summary>A manifest entry as the shard grain's contract describes it.</summary>
    public static CheckpointObject ToObject(ManifestObject entry) =>
        new(CheckpointNames.RoleOf(entry.Model), entry.Shard, entry.Offset, entry.Length, entry.Name, entry.Sha256, entry.Bytes);

    /// <summary>A shard's description as a manifest entry.</summary>
    public static ManifestObject ToEntry(CheckpointObject written) =>
        new(CheckpointNames.ModelLetter(written.Role), written.Shard, written.Offset, written.Length, written.Name, written.Sha256, written.Bytes);
}
