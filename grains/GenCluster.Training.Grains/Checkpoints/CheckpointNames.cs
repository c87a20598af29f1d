using System.Globalization;
using GenCluster.Contracts.Training;

namespace GenCluster.Training.Grains.Checkpoints;

/// <summary>
/// Where checkpoints live in the object store: <c>checkpoints/{experiment}/{step:D12}/manifest.json</c> commits the
/// shard objects <c>checkpoints/{experiment}/{step:D12}/{attempt}/G-0.shard</c>. The attempt segment is new for every
/// write, so a write that died half-way never overwrites, or is mistaken for, the objects of a committed checkpoint.
/// <c>running/{experiment}</c> marks an experiment that silos must re-activate if its coordinator's silo dies.
/// </summary>
internal static class CheckpointNames
{
    /// <summary>Prefix of every object of an experiment's checkpoints.</summary>
    public static string ExperimentPrefix(string experiment) => $"checkpoints/{experiment}/";

    /// <summary>Prefix of every object of the checkpoint at <paramref name="step"/>.</summary>
    public static string StepPrefix(string experiment, long step) =>
        string.Create(CultureInfo.InvariantCulture, $"checkpoints/{experiment}/{step:D12}/");

    /// <summary>The commit point of the checkpoint at <paramref name="step"/>.</summary>
    public static string Manifest(string experiment, long step) => StepPrefix(experiment, step) + "manifest.json";

    /// <summary>One shard's object in one attempt at writing the checkpoint at <paramref name="step"/>.</summary>
    public static string ShardObject(string experiment, long step, string attempt, ModelRole role, int shard) =>
        string.Create(CultureInfo.InvariantCulture, $"{StepPrefix(experiment, step)}{attempt}/{ModelLetter(role)}-{shard}.shard");

    /// <summary>The step of a manifest's name, or null when <paramref name="name"/> is not a manifest of <paramref name="experiment"/>.</summary>
    public static long? StepOfManifest(string experiment, string name)
    {
        var prefix = ExperimentPrefix(experiment);
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith("/manifest.json", StringComparison.Ordinal))
        {
            return null;
        }

        var middle = name[prefix.Length..^"/manifest.json".Length];
        return long.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : null;
    }

    /// <summary>The step folder an object of <paramref name="experiment"/> is in, or null.</summary>
    public static long? StepOfObject(string experiment, string name)
    {
        var prefix = ExperimentPrefix(experiment);
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var slash = name.IndexOf('/', prefix.Length);
        return slash > prefix.Length && long.TryParse(name.AsSpan(prefix.Length, slash - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? step
            : null;
    }

    /// <summary>The marker of a running experiment.</summary>
    public static string RunningMarker(string experiment) => RunningPrefix + experiment;

    /// <summary>Prefix of every running marker.</summary>
    public const string RunningPrefix = "running/";

    /// <summary><c>G</c> or <c>D</c>.</summary>
    public static string ModelLetter(ModelRole role) => role == ModelRole.Generator ? "G" : "D";

    /// <summary>The role of <c>G</c> or <c>D</c>.</summary>
    public static ModelRole RoleOf(string letter) => letter switch
    {
        "G" => ModelRole.Generator,
        "D" => ModelRole.Discriminator,
        _ => throw new InvalidDataException($"'{letter}' is not a model (G or D)"),
    };
}
