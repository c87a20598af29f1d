using System.Buffers;

namespace GenCluster.MessagePack.Tests.Support;

/// <summary>Builds multi-segment sequences, to exercise the reader's non-contiguous path.</summary>
internal static class Segmented
{
    /// <summary>Splits <paramref name="data"/> into segments of <paramref name="segmentSize"/> bytes (each its own array).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int segmentSize)
    {
        var cuts = new List<int>();
        for (int i = segmentSize; i < data.Length; i += segmentSize)
        {
            cuts.Add(i);
        }

        return Split(data, cuts);
    }

    /// <summary>Splits at random points.</summary>
    public static ReadOnlySequence<byte> SplitRandomly(byte[] data, Random random, int maxSegment = 16)
    {
        var cuts = new List<int>();
        int at = 0;
        while (true)
        {
            at += random.Next(1, maxSegment + 1);
            if (at >= data.Length)
            {
                break;
            }

            cuts.Add(at);
        }

        return Split(data, cuts);
    }

    /// <summary>Splits at the given offsets; an empty segment is inserted at the front to make even short inputs multi-segment.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IReadOnlyList<int> cuts)
    {
        var first = new Segment(new byte[] { 0xee }.AsMemory(1, 0), 0);
        var last = first;
        int start = 0;
        foreach (int cut in cuts.Append(data.Length))
        {
            var copy = data.AsSpan(start, cut - start).ToArray();
            last = last.Append(copy);
            start = cut;
        }

        if (ReferenceEquals(first, last))
        {
            last = last.Append([]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
