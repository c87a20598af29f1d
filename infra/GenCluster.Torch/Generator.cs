using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

/// <summary>
/// A CPU random-number generator with its own state, so a stream of random numbers can be tied
/// to (seed, step, rank) instead of to the process-wide default generator.
/// </summary>
public sealed class Generator : IDisposable
{
    private readonly GeneratorHandle _handle;

    /// <summary>Creates a generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        var handle = NativeMethods.gct_generator_new(seed);
        if (handle == IntPtr.Zero)
        {
            throw NativeResult.LastError();
        }

        _handle = new GeneratorHandle(handle);
    }

    /// <summary>Re-seeds the generator, restarting its stream.</summary>
    public Generator manual_seed(ulong seed)
    {
        NativeResult.Check(NativeMethods.gct_generator_seed(_handle, seed));
        return this;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    internal static GeneratorHandle HandleOrNull(Generator? generator) => generator?._handle ?? GeneratorHandle.Null;
}
