using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

/// <summary>
/// <see cref="TensorView{T}"/> arguments read in the received frame between silos and in place within a silo, results
/// that take over their reply frame until disposed, and the lifetime rule: a view kept past its call is refused instead
/// of showing a later message's bytes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TensorViewCallTests(ClusterFixture fixture)
{
    private const int Large = 300_000; // 1.2 MB: a pooled frame array of its own on arrival, sent by reference

    private TestCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData(true, Large)]
    [InlineData(false, Large)]
    [InlineData(true, 1_000)]
    [InlineData(false, 1_000)]
    public async Task A_view_argument_is_read_with_its_shape_remotely_and_in_silo(bool remote, int elements)
    {
        var grain = Grain(remote, out _);
        var values = Pattern(5, elements * 2);

        var summary = await grain.Summarize(TensorView.Of<float>(values, [2, elements]));

        summary.Shape.Should().Equal(2, elements);
        summary.Sum.Should().Be(values.Sum(v => (double)v));
        values.Should().Equal(Pattern(5, elements * 2), "the callee only reads the caller's memory");
    }

    [Fact]
    public async Task A_view_of_a_slice_sends_only_the_slice()
    {
        var grain = Grain(remote: true, out _);
        var values = Pattern(1, Large);

        var summary = await grain.Summarize(TensorView.Of(values, 1_000, Large - 2_000));

        summary.Shape.Should().Equal(Large - 2_000);
        summary.Sum.Should().Be(values.Skip(1_000).Take(Large - 2_000).Sum(v => (double)v));
    }

    [Fact]
    public async Task Views_and_results_stay_intact_while_frame_arrays_are_reused()
    {
        const int Calls = 36, Window = 3;
        var remote = Grain(remote: true, out string key);
        var local = Cluster["silo-2"].GrainFactory.GetGrain<ITensorViewGrain>(key);
        var calls = new List<(int Seed, Task<TensorView<float>> Offset, Task<TensorView<float>> Echo)>();
        var inFlight = new Queue<Task>();
        for (int seed = 0; seed < Calls; seed++)
        {
            while (inFlight.Count >= Window)
            {
                await inFlight.Dequeue();
            }

            var target = seed % 4 == 0 ? local : remote;
            var values = Pattern(seed, Large);
            var offset = target.Offset(values, seed);
            var echo = target.Echo(values);
            calls.Add((seed, offset, echo));
            inFlight.Enqueue(offset);
            inFlight.Enqueue(echo);
        }

        await Task.WhenAll(inFlight);

        // Checked after every call: a result still aliasing a frame array that was reused would have changed.
        foreach (var (seed, offsetTask, echoTask) in calls)
        {
            using var offset = await offsetTask;
            using var echo = await echoTask;
            var expected = Pattern(seed, Large);
            echo.Span.SequenceEqual(expected).Should().BeTrue($"call {seed}'s echo is the argument it sent");
            var shifted = offset.Span;
            shifted.Length.Should().Be(Large);
            for (int i = 0; i < Large; i++)
            {
                if (shifted[i] != expected[i] + seed)
                {
                    Assert.Fail($"call {seed}: element {i} is {shifted[i]}, expected {expected[i] + seed}");
                }
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_view_kept_after_its_call_throws_instead_of_reading_a_reused_frame(bool remote)
    {
        var grain = Grain(remote, out _);
        await grain.Keep(Pattern(2, Large));
        (await grain.ReadKept()).Should().Be(nameof(ObjectDisposedException));

        // Another large call may now reuse the kept view's frame array; the view still refuses to read it.
        (await grain.Summarize(Pattern(3, Large))).Sum.Should().Be(Pattern(3, Large).Sum(v => (double)v));
        (await grain.ReadKept()).Should().Be(nameof(ObjectDisposedException));
    }

    [Fact]
    public async Task A_result_from_another_silo_is_read_in_its_frame_until_disposed()
    {
        var grain = Grain(remote: true, out _);
        var values = Pattern(4, Large);

        var result = await grain.Offset(values, 1f);

        result.IsValid.Should().BeTrue();
        result.Span[Large - 1].Should().Be(values[Large - 1] + 1f);
        result.Dispose();
        result.IsValid.Should().BeFalse("disposing gives the reply frame back");
        var read = () => result.Span[0];
        read.Should().Throw<ObjectDisposedException>();
        result.Dispose(); // a second dispose does nothing
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_result_is_decoded_straight_into_the_callers_destination(bool remote)
    {
        var grain = Grain(remote, out _);
        var values = Pattern(6, Large);
        var output = new float[Large + 10];
        output.AsSpan().Fill(-1f);

        var result = await grain.OffsetInto(values, 2f, output.AsMemory(5, Large));

        result.Bytes.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.AsSpan())).Should().BeTrue("the view is the destination");
        for (int i = 0; i < Large; i++)
        {
            if (output[5 + i] != values[i] + 2f)
            {
                Assert.Fail($"element {i} is {output[5 + i]}, expected {values[i] + 2f}");
            }
        }

        output[..5].Should().OnlyContain(v => v == -1f, "nothing is written before the destination");
        output[^5..].Should().OnlyContain(v => v == -1f, "nor after it");
        (await grain.OffsetInto(values, 3f, default)).ToArray()[0].Should().Be(values[0] + 3f, "without a destination the result is a view as usual");
    }

    [Fact]
    public async Task A_destination_of_another_length_fails_the_call_with_a_typed_error()
    {
        var grain = Grain(remote: true, out _);

        var call = () => grain.OffsetInto(Pattern(7, 1_000), 1f, new float[999]);

        (await call.Should().ThrowAsync<GenCluster.MessagePack.MessagePackDecodeException>())
            .Which.Error.Should().Be(GenCluster.MessagePack.MessagePackDecodeError.InvalidTensor);
    }

    private ITensorViewGrain Grain(bool remote, out string key)
    {
        key = $"silo-2/tensor-view-{Guid.NewGuid():N}";
        return Cluster[remote ? "silo-1" : "silo-2"].GrainFactory.GetGrain<ITensorViewGrain>(key);
    }

    private static float[] Pattern(int seed, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = ((i * 31) + (seed * 7)) % 1000;
        }

        return values;
    }
}
