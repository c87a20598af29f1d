namespace GenCluster.MessagePack;

/// <summary>
/// Arrays for a tensor's megabytes (received frames, copies of received tensors), reused across messages, connections
/// and calls. A fresh array of many megabytes costs a page fault and the kernel's zeroing of every page on first touch,
/// and churns the large object heap; a training step moves the same sizes over and over.
/// </summary>
/// <remarks>
/// Give an array back (<see cref="Return"/>, or through an <see cref="OwnedBytes"/> release) only once nothing refers to
/// it any more; arrays that are never given back are collected as usual. At most <see cref="MaxRetained"/> arrays and
/// <see cref="MaxRetainedBytes"/> bytes are kept.
/// </remarks>
internal static class LargeBufferPool
{
    /// <summary>Most arrays kept.</summary>
    public const int MaxRetained = 16;

    /// <summary>Most bytes kept in all.</summary>
    public const long MaxRetainedBytes = 256L * 1024 * 1024;

    // Sizes are rounded up to this, so frames of one tensor size with slightly different envelopes share arrays.
    private const int Granularity = 64 * 1024;

    private static readonly Lock Gate = new();
    private static readonly List<byte[]> Retained = [];
    private static long s_retainedBytes;

    /// <summary>An array of at least <paramref name="length"/> bytes (of undefined content), reused when one fits.</summary>
    public static byte[] Rent(int length)
    {
        long rounded = ((long)length + Granularity - 1) / Granularity * Granularity;
        lock (Gate)
        {
            // The smallest kept array that fits and wastes at most a quarter.
            int best = -1;
            for (int i = 0; i < Retained.Count; i++)
            {
                int size = Retained[i].Length;
                if (size >= length && size <= rounded + rounded / 4 && (best < 0 || size < Retained[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = Retained[best];
                Retained.RemoveAt(best);
                s_retainedBytes -= array.Length;
                return array;
            }
        }

        // Every byte that is read is written first, so the array need not be zeroed.
        return GC.AllocateUninitializedArray<byte>((int)Math.Min(rounded, Array.MaxLength));
    }

    /// <summary>Keeps <paramref name="array"/> for a later <see cref="Rent"/>, unless the pool is full.</summary>
    /// <remarks>Give an array back once only: twice would hand it to two renters.</remarks>
    public static void Return(byte[] array)
    {
        lock (Gate)
        {
            if (Retained.Count < MaxRetained && s_retainedBytes + array.Length <= MaxRetainedBytes)
            {
                Retained.Add(array);
                s_retainedBytes += array.Length;
            }
        }
    }

    /// <summary>Forgets every kept array, so a test can tell which array comes back.</summary>
    internal static void Clear()
    {
        lock (Gate)
        {
            Retained.Clear();
            s_retainedBytes = 0;
        }
    }
}
