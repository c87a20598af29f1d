namespace GenCluster.Datasets;

/// <summary>
/// A small, fully specified pseudo-random generator (xoshiro256** seeded by SplitMix64) whose
/// output is identical on every machine and .NET version, plus key derivation for independent
/// streams keyed by (seed, step, rank, stream).
/// </summary>
/// <remarks>
/// <para>
/// Unlike <see cref="System.Random"/>, whose algorithm may change between releases, every value
/// here follows published algorithms bit for bit:
/// </para>
/// <list type="bullet">
/// <item><description>SplitMix64 (Steele, Lea, Flood 2014): <c>state += 0x9E3779B97F4A7C15</c>, then the
/// output function <see cref="Avalanche"/>: <c>z = (z ^ z>>30) * 0xBF58476D1CE4E5B9; z = (z ^ z>>27) * 0x94D049BB133111EB; z ^ z>>31</c>.</description></item>
/// <item><description>xoshiro256** (Blackman, Vigna 2018), its four state words being the first four
/// SplitMix64 outputs from the seed.</description></item>
/// <item><description><see cref="NextBounded"/>: Lemire's multiply-and-reject method, unbiased.</description></item>
/// </list>
/// <para>An instance is not thread-safe; give each thread or stream its own.</para>
/// </remarks>
public sealed class DeterministicRandom
{
    /// <summary>The SplitMix64 increment (the 64-bit golden ratio).</summary>
    public const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    private const ulong MixBasis = 0x243F6A8885A308D3UL;

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose xoshiro256** state is the first four SplitMix64 outputs from <paramref name="seed"/>.</summary>
    /// <param name="seed">Any 64-bit seed; use <see cref="Mix"/> or <see cref="DeriveSeed"/> to derive one from several keys.</param>
    public DeterministicRandom(ulong seed)
    {
        Seed = seed;
        ulong state = seed;
        _s0 = SplitMix64Next(ref state);
        _s1 = SplitMix64Next(ref state);
        _s2 = SplitMix64Next(ref state);
        _s3 = SplitMix64Next(ref state);
    }

    /// <summary>The seed this generator was created with.</summary>
    public ulong Seed { get; }

    /// <summary>Creates a generator seeded with <c>Mix(keys)</c>.</summary>
    /// <param name="keys">The keys identifying the stream, e.g. (seed, step, rank, stream).</param>
    /// <returns>A new generator.</returns>
    public static DeterministicRandom ForKeys(params ReadOnlySpan<ulong> keys) => new(Mix(keys));

    /// <summary>Advances a SplitMix64 state and returns its next output.</summary>
    /// <param name="state">The SplitMix64 state, advanced by <see cref="GoldenGamma"/>.</param>
    /// <returns>The next SplitMix64 output.</returns>
    public static ulong SplitMix64Next(ref ulong state)
    {
        state = unchecked(state + GoldenGamma);
        return Avalanche(state);
    }

    /// <summary>
    /// The SplitMix64 output function (a bijective 64-bit finaliser, as in MurmurHash3's fmix64 with Stafford's variant-13 constants).
    /// </summary>
    /// <param name="z">The value to scramble.</param>
    /// <returns>The scrambled value.</returns>
    public static ulong Avalanche(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>
    /// Derives one 64-bit seed from an ordered list of keys, so that distinct key lists give
    /// statistically independent streams.
    /// </summary>
    /// <remarks>
    /// Defined as <c>h = Avalanche(0x243F6A8885A308D3 + count)</c>, then for each key <c>k</c> in order
    /// <c>h = Avalanche(h ^ Avalanche(k + 0x9E3779B97F4A7C15))</c> (all arithmetic mod 2^64).
    /// The order of the keys matters and so does their number (<c>Mix(a)</c> ≠ <c>Mix(a, 0)</c>).
    /// </remarks>
    /// <param name="keys">The keys, e.g. (seed, step, rank, stream).</param>
    /// <returns>The derived seed.</returns>
    public static ulong Mix(params ReadOnlySpan<ulong> keys)
    {
        unchecked
        {
            ulong h = Avalanche(MixBasis + (ulong)keys.Length);
            foreach (ulong k in keys)
            {
                h = Avalanche(h ^ Avalanche(k + GoldenGamma));
            }

            return h;
        }
    }

    /// <summary>
    /// Derives the seed of the stream identified by (seed, step, rank, stream): <c>Mix(seed, step, rank, stream)</c>
    /// with <paramref name="step"/> and <paramref name="rank"/> reinterpreted as unsigned 64-bit values.
    /// </summary>
    /// <param name="seed">The experiment seed.</param>
    /// <param name="step">The global training step.</param>
    /// <param name="rank">The worker rank (or micro-batch index).</param>
    /// <param name="stream">A constant naming the purpose of the stream (e.g. latent noise, dropout).</param>
    /// <returns>The derived seed.</returns>
    public static ulong DeriveSeed(ulong seed, long step, int rank, ulong stream) =>
        Mix(seed, unchecked((ulong)step), unchecked((ulong)(long)rank), stream);

    /// <summary>The next 64 uniformly random bits (xoshiro256**).</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        unchecked
        {
            ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>The next 32 uniformly random bits: the upper half of <see cref="NextUInt64"/>.</summary>
    /// <returns>A uniformly distributed 32-bit value.</returns>
    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>
    /// A uniformly distributed integer in [0, <paramref name="exclusiveBound"/>), without bias
    /// (Lemire's method: the high word of <c>x × bound</c>, rejecting when the low word is below <c>2^64 mod bound</c>).
    /// </summary>
    /// <param name="exclusiveBound">The exclusive upper bound; must be positive.</param>
    /// <returns>A value in [0, <paramref name="exclusiveBound"/>).</returns>
    public ulong NextBounded(ulong exclusiveBound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(exclusiveBound);
        ulong high = Math.BigMul(NextUInt64(), exclusiveBound, out ulong low);
        if (low < exclusiveBound)
        {
            ulong threshold = unchecked(0UL - exclusiveBound) % exclusiveBound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), exclusiveBound, out low);
            }
        }

        return high;
    }

    /// <summary>A uniformly distributed integer in [0, <paramref name="exclusiveBound"/>), via <see cref="NextBounded"/>.</summary>
    /// <param name="exclusiveBound">The exclusive upper bound; must be positive.</param>
    /// <returns>A value in [0, <paramref name="exclusiveBound"/>).</returns>
    public int NextInt32(int exclusiveBound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveBound);
        return (int)NextBounded((ulong)exclusiveBound);
    }

    /// <summary>A uniformly distributed double in [0, 1): the top 53 bits of <see cref="NextUInt64"/> times 2^−53.</summary>
    /// <returns>A value in [0, 1).</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniformly distributed float in [0, 1): the top 24 bits of <see cref="NextUInt64"/> times 2^−24.</summary>
    /// <returns>A value in [0, 1).</returns>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Fills a span with <see cref="NextUInt64"/> values.</summary>
    /// <param name="destination">The span to fill.</param>
    public void Fill(Span<ulong> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextUInt64();
        }
    }

    /// <summary>Shuffles a span in place with the Fisher–Yates algorithm: for i from n−1 down to 1, swap element i with element <c>NextBounded(i + 1)</c>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items to shuffle.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)NextBounded((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
