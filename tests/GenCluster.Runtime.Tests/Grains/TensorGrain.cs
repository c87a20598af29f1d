namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Large float arrays in and out, pinned to the silo its key names (<c>silo-name/...</c>).</summary>
public interface ITensorGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="values"/> + <paramref name="delta"/> in a new array, and keeps <paramref name="values"/>.</summary>
    Task<float[]> Offset(float[] values, float delta);

    /// <summary>How many kept arrays no longer hold what they held on arrival.</summary>
    Task<int> CountChangedKept();

    Task<string> GetSiloName();
}

[Placement(PlacementKind.Pinned)]
public sealed class TensorGrain : Grain, ITensorGrain
{
    private readonly List<(float[] Array, float[] Snapshot)> _kept = [];

    public Task<float[]> Offset(float[] values, float delta)
    {
        _kept.Add((values, (float[])values.Clone()));
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i] + delta;
        }

        return Task.FromResult(result);
    }

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);

    public Task<int> CountChangedKept() => Task.FromResult(_kept.Count(k => !k.Array.AsSpan().SequenceEqual(k.Snapshot)));
}
