using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.CodeGen.Tests.Grains;
using GenCluster.CodeGen.Tests.Support;
using GenCluster.MessagePack;
using GenCluster.Runtime.Invocation;

namespace GenCluster.CodeGen.Tests.Invocation;

/// <summary>
/// Calls through a generated proxy, whose serialized arguments a loopback runtime feeds straight into the generated
/// invoker and a grain instance.
/// </summary>
public sealed class GrainCallTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TestCallsGrain _grain = new();
    private readonly LoopbackCallInvoker _runtime;
    private readonly ITestCallsGrain _proxy;

    public GrainCallTests()
    {
        _runtime = new LoopbackCallInvoker(_grain);
        _proxy = _runtime.CreateProxy<ITestCallsGrain>("calls");
    }

    [Fact]
    public void The_proxy_is_a_grain_reference_to_the_grain_it_was_created_for()
    {
        var reference = _proxy.Should().BeAssignableTo<GrainReference>().Subject;

        reference.GrainId.Key.Should().Be("calls");
    }

    [Fact]
    public async Task Calls_with_zero_to_five_arguments_return_their_results()
    {
        (await _proxy.GetAnswer()).Should().Be(42);
        (await _proxy.Echo("héllo")).Should().Be("héllo");
        (await _proxy.Add(40, 2)).Should().Be(42);
        (await _proxy.Combine(1, 0.5, "abc")).Should().Be(4.5);
        (await _proxy.Describe(1, long.MaxValue, null, new Measurement { Name = "m", Value = 2, Tags = ["t"] }))
            .Should().Be($"1|{long.MaxValue}|null|m=2|t");
        (await _proxy.Five(-1, 2, 3, 4, Color.Blue)).Should().Equal(-1, 2, 3, 4, 3);
    }

    [Fact]
    public async Task Arguments_travel_as_one_array_in_parameter_order_without_the_cancellation_token()
    {
        await _proxy.GetAnswer();
        _runtime.LastCall.Arguments.Should().Equal(MessagePackCode.MinFixArray);

        await _proxy.Five(-1, 2, 3, 4, Color.Red);
        RoundTrip.Tree(_runtime.LastCall.Arguments).Array.Select(a => (long)a.Integer).Should().Equal(-1L, 2L, 3L, 4L, 1L);

        using var cancellation = new CancellationTokenSource();
        await _proxy.WaitForCancellation(TimeSpan.Zero, cancellation.Token);
        var arguments = RoundTrip.Tree(_runtime.LastCall.Arguments).Array;
        arguments.Should().ContainSingle().Which.Integer.Should().Be(0);
    }

    [Fact]
    public async Task Methods_without_a_result_complete_after_the_grain_ran()
    {
        await _proxy.Record("first");
        await _proxy.Record("second");
        (await _proxy.GetNotes()).Should().Equal("first", "second");

        await _proxy.Reset();
        (await _proxy.GetNotes()).Should().BeEmpty();
    }

    [Fact]
    public async Task Exceptions_thrown_by_the_grain_reach_the_caller()
    {
        var asynchronous = () => _proxy.Fail("broken on purpose");
        var synchronous = () => _proxy.FailSynchronously();

        await asynchronous.Should().ThrowAsync<InvalidOperationException>().WithMessage("broken on purpose");
        await synchronous.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Streaming_methods_yield_serialized_items_and_pass_the_token_through()
    {
        using var cancellation = new CancellationTokenSource(Bound);
        var points = new List<Point>();

        await foreach (var point in _proxy.Count(2, 4, cancellation.Token))
        {
            points.Add(point);
        }

        points.Should().Equal(new Point(2, 4), new Point(3, 9), new Point(4, 16), new Point(5, 25));
        _runtime.LastCall.Method.Streaming.Should().BeTrue();
        _runtime.LastCall.CancellationToken.Should().Be(cancellation.Token);
        _grain.LastToken.Should().Be(cancellation.Token);
    }

    [Fact]
    public async Task Cancelling_a_stream_stops_it()
    {
        using var cancellation = new CancellationTokenSource(Bound);
        int received = 0;

        var consume = async () =>
        {
            await foreach (var _ in _proxy.Count(0, 1_000, cancellation.Token))
            {
                if (++received == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await consume.Should().ThrowAsync<OperationCanceledException>();
        received.Should().Be(3);
    }

    [Fact]
    public async Task The_callers_cancellation_token_reaches_the_grain()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var started = System.Diagnostics.Stopwatch.StartNew();

        bool cancelled = await _proxy.WaitForCancellation(TimeSpan.FromSeconds(30), cancellation.Token).WaitAsync(Bound);

        cancelled.Should().BeTrue();
        started.Elapsed.Should().BeLessThan(Bound);
        _grain.LastToken.Should().Be(cancellation.Token);
    }

    [Fact]
    public async Task One_way_and_always_interleave_methods_are_marked_on_the_call()
    {
        await _proxy.Notify("ping");
        _runtime.LastCall.Method.OneWay.Should().BeTrue();
        (await _proxy.GetNotes()).Should().Equal("notified:ping");

        await _proxy.Peek();
        _runtime.LastCall.Method.AlwaysInterleave.Should().BeTrue();
        _runtime.LastCall.Method.OneWay.Should().BeFalse();
        _runtime.LastCall.Method.Name.Should().Be("ITestCallsGrain.Peek");
    }

    [Fact]
    public async Task A_result_by_reference_is_sent_from_the_grains_array_and_other_results_are_copied()
    {
        (await _proxy.Shared()).Should().Equal(_grain.SharedArray);
        var byReference = await InvokeRawAsync(_runtime.LastCall);
        (await _proxy.SharedCopied()).Should().Equal(_grain.SharedArray);
        var copied = await InvokeRawAsync(_runtime.LastCall);

        System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(byReference, out var segmented).Should().BeTrue();
        segmented!.Segments.Any(s => Overlaps(s, _grain.SharedArray)).Should().BeTrue("[ResultByReference] keeps the grain's array");
        System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager<byte, SegmentedMemory>(copied, out var copy).Should().BeTrue();
        copy!.Segments.Any(s => Overlaps(s, _grain.SharedArray)).Should().BeFalse("without it the result is a copy");
        byReference.ToArray().Should().Equal(copied.ToArray(), "both encode the same bytes");
    }

    // The invoker's serialized result, as the runtime would put it in the reply.
    private async Task<ReadOnlyMemory<byte>> InvokeRawAsync(RecordedCall call)
    {
        var info = GrainCodeRegistry.FindInterface(typeof(ITestCallsGrain))!;
        return (await info.Invoker.InvokeAsync(_grain, call.Method.MethodId, call.Arguments, CancellationToken.None)).Value;
    }

    private static bool Overlaps(ReadOnlyMemory<byte> block, float[] array) =>
        block.Span.Overlaps(System.Runtime.InteropServices.MemoryMarshal.AsBytes(array.AsSpan()));

    [Fact]
    public async Task Overloads_aliases_tensors_generics_and_tuples_dispatch_correctly()
    {
        (await _proxy.Overloaded(1)).Should().Be("int 1");
        (await _proxy.Overloaded(1L)).Should().Be("long 1");
        (await _proxy.Aliased(5)).Should().Be(-5);
        (await _proxy.Scale([1f, -2f], 0.5f)).Should().Equal(0.5f, -1f);
        (await _proxy.Wrap(new Measurement { Name = "w" }))!.Payload!.Name.Should().Be("w");
        (await _proxy.Wrap(null)).Should().BeNull();
        (await _proxy.Summarize(new Dictionary<string, int> { ["b"] = 2, ["a"] = 3 })).Should().Be((5, "a,b"));
    }

    [Fact]
    public async Task Methods_of_a_base_interface_keep_its_interface_id_and_dispatch_through_its_invoker()
    {
        var runtime = new LoopbackCallInvoker(new CounterGrain());
        var counter = runtime.CreateProxy<ICounterGrain>();

        (await counter.WhoAmI()).Should().Be("counter");
        runtime.LastCall.Method.InterfaceId.Should().Be(Fnv1a.Hash(typeof(IIdentityGrain).FullName!));
        (await counter.Increment(2)).Should().Be(2);
        (await counter.Increment(3)).Should().Be(5);
        runtime.LastCall.Method.InterfaceId.Should().Be(Fnv1a.Hash(typeof(ICounterGrain).FullName!));
    }

    [Fact]
    public void An_unknown_method_id_is_refused_with_a_clear_exception()
    {
        var invoker = GrainCodeRegistry.FindInterface(typeof(ITestCallsGrain))!.Invoker;

        var call = () => invoker.InvokeAsync(_grain, 0xDEADBEEF, new byte[] { MessagePackCode.MinFixArray }, CancellationToken.None);

        call.Should().Throw<MissingMethodException>().WithMessage("*ITestCallsGrain*0xdeadbeef*");
    }

    [Fact]
    public async Task Arguments_of_the_wrong_count_or_with_trailing_bytes_are_decode_errors()
    {
        var invoker = GrainCodeRegistry.FindInterface(typeof(ITestCallsGrain))!.Invoker;
        uint add = Fnv1a.Hash("Add(System.Int32,System.Int32)");

        var tooFew = async () => await invoker.InvokeAsync(_grain, add, RoundTrip.Encode(MessagePackValue.FromArray(RoundTrip.Int(1))), default);
        var trailing = async () => await invoker.InvokeAsync(_grain, add, new byte[] { 0x92, 0x01, 0x02, 0x03 }, default);
        var notAnArray = async () => await invoker.InvokeAsync(_grain, add, RoundTrip.Encode(RoundTrip.Int(1)), default);

        (await tooFew.Should().ThrowAsync<MessagePackDecodeException>()).Which.Reason.Should().Contain("ITestCallsGrain.Add takes 2");
        (await trailing.Should().ThrowAsync<MessagePackDecodeException>()).Which.Error.Should().Be(MessagePackDecodeError.InvalidFrame);
        await notAnArray.Should().ThrowAsync<MessagePackDecodeException>();
    }

    [Fact]
    public void A_grain_that_does_not_implement_the_interface_is_refused()
    {
        var invoker = GrainCodeRegistry.FindInterface(typeof(ITestCallsGrain))!.Invoker;

        var call = () => invoker.InvokeAsync(new CounterGrain(), Fnv1a.Hash("GetAnswer()"), new byte[] { MessagePackCode.MinFixArray }, default);

        call.Should().Throw<ArgumentException>().WithMessage("*CounterGrain does not implement ITestCallsGrain*");
    }

    [Fact]
    public async Task Results_are_serialized_values_and_no_result_is_nil()
    {
        var invoker = GrainCodeRegistry.FindInterface(typeof(ITestCallsGrain))!.Invoker;
        byte[] none = [MessagePackCode.MinFixArray];

        var answer = await invoker.InvokeAsync(_grain, Fnv1a.Hash("GetAnswer()"), none, default);
        var reset = await invoker.InvokeAsync(_grain, Fnv1a.Hash("Reset()"), none, default);

        answer.Value.ToArray().Should().Equal(42);
        answer.Stream.Should().BeNull();
        reset.Value.ToArray().Should().Equal(MessagePackCode.Nil);
    }
}
