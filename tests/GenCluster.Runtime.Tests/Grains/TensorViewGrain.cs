namespace GenCluster.Runtime.Tests.Grains;

/// <summary>Tensor views in and out, pinned to the silo its key names (<c>silo-name/...</c>).</summary>
public interface ITensorViewGrain : IGrainWithStringKey
{
    /// <summary>Reads <paramref name="values"/> in place: its shape and the sum of its elements.</summary>
    Task<ViewSummary> Summarize(TensorView<float> values);

    /// <summary><paramref name="values"/> + <paramref name="delta"/>, returned as a view of a new array.</summary>
    Task<TensorView<float>> Offset(TensorView<float> values, float delta);

    /// <summary>
    /// <paramref name="values"/> + <paramref name="delta"/> from a buffer the grain keeps and changes only at its next
    /// call, sent by reference; the caller may have it decoded straight into <paramref name="into"/>.
    /// </summary>
    [ResultByReference]
    Task<TensorView<float>> OffsetInto(TensorView<float> values, float delta, TensorDestination<float> into);

    /// <summary>Returns the received view itself (which the runtime must copy, its frame being given back).</summary>
    [ResultByReference]
    Task<TensorView<float>> Echo(TensorView<float> values);

    /// <summary>Keeps the received view beyond the call — the misuse the view's lifetime rules out.</summary>
    Task Keep(TensorView<float> values);

    /// <summary>What reading the kept view gives now: "valid" or the name of the exception it throws.</summary>
    Task<string> ReadKept();

    Task<string> GetSiloName();
}

/// <summary>What a grain saw of a view argument.</summary>
[GenerateSerializer]
public sealed record ViewSummary([Id(0)] long[] Shape, [Id(1)] double Sum);

[Placement(PlacementKind.Pinned)]
public sealed class TensorViewGrain : Grain, ITensorViewGrain
{
    private TensorView<float> _kept;
    private float[] _answer = [];

    public Task<ViewSummary> Summarize(TensorView<float> values)
    {
        double sum = 0;
        foreach (float value in values.Span)
        {
            sum += value;
        }

        return Task.FromResult(new ViewSummary(values.Shape.ToArray(), sum));
    }

    public async Task<TensorView<float>> Offset(TensorView<float> values, float delta)
    {
        // An await inside the call: the view stays readable until the method's task completes, not just its first turn.
        await Task.Yield();
        var result = new float[values.Length];
        var source = values.Span;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = source[i] + delta;
        }

        return result;
    }

    public Task<TensorView<float>> OffsetInto(TensorView<float> values, float delta, TensorDestination<float> into)
    {
        if (!into.IsDefault)
        {
            throw new InvalidOperationException("a destination never travels to the grain");
        }

        var source = values.Span;
        if (_answer.Length != source.Length)
        {
            _answer = new float[source.Length];
        }

        for (int i = 0; i < source.Length; i++)
        {
            _answer[i] = source[i] + delta;
        }

        return Task.FromResult<TensorView<float>>(_answer);
    }

    public Task<TensorView<float>> Echo(TensorView<float> values) => Task.FromResult(values);

    public Task Keep(TensorView<float> values)
    {
        _kept = values;
        return Task.CompletedTask;
    }

    public Task<string> ReadKept()
    {
        try
        {
            _ = _kept.Span[0];
            return Task.FromResult("valid");
        }
        catch (ObjectDisposedException e)
        {
            return Task.FromResult(e.GetType().Name);
        }
    }

    public Task<string> GetSiloName() => Task.FromResult(GrainContext.SiloName);
}
