using System.ComponentModel;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Serialization;

/// <summary>
/// Bounds how deeply generated serializers nest while reading. Types may refer to themselves (trees, linked lists),
/// so without a bound hostile input could recurse until the stack overflows, which ends the process; with it, such
/// input fails with <see cref="MessagePackDecodeError.DepthExceeded"/> at <see cref="MessagePackReaderOptions.MaxDepth"/>.
/// Deserialization is synchronous, so a per-thread count is exact.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DeserializationDepth
{
    [ThreadStatic]
    private static int t_depth;

    /// <summary>The current nesting of generated serializers on this thread.</summary>
    public static int Current => t_depth;

    /// <summary>Enters one level; dispose the result to leave it.</summary>
    /// <exception cref="MessagePackDecodeException">The nesting would exceed the reader's <see cref="MessagePackReaderOptions.MaxDepth"/>.</exception>
    public static Scope Enter(ref MessagePackReader reader)
    {
        if (t_depth >= reader.Options.MaxDepth)
        {
            throw new MessagePackDecodeException(
                MessagePackDecodeError.DepthExceeded,
                $"objects nest deeper than MaxDepth ({reader.Options.MaxDepth})",
                reader.Consumed);
        }

        t_depth++;
        return new Scope(entered: true);
    }

    /// <summary>One level of nesting, left on dispose.</summary>
    public readonly ref struct Scope
    {
        private readonly bool _entered;

        internal Scope(bool entered)
        {
            _entered = entered;
        }

        /// <summary>Leaves the level.</summary>
        public void Dispose()
        {
            if (_entered)
            {
                t_depth--;
            }
        }
    }
}
