namespace GenCluster.Runtime;

/// <summary>Marker for grain interfaces. Methods return <see cref="Task"/>, <see cref="Task{T}"/>,
/// <see cref="ValueTask"/>, <see cref="ValueTask{T}"/> or <see cref="IAsyncEnumerable{T}"/>.</summary>
public interface IGrain
{
}

/// <summary>A grain addressed by a string key.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>A grain addressed by an integer key (carried as its decimal string).</summary>
public interface IGrainWithIntegerKey : IGrain
{
}

/// <summary>Creates references to grains; a reference is cheap and activates nothing until called.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with key <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with integer key <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey;
}
