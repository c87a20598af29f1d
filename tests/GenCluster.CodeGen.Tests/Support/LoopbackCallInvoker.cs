using System.Runtime.CompilerServices;
using GenCluster.Runtime;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Support;

/// <summary>
/// Stands in for the runtime: hands a proxy's serialized arguments straight to the generated invoker of the
/// method's interface (found by interface id in the registry, as the runtime does) and a grain instance, and
/// deserializes what comes back. Records each call.
/// </summary>
internal sealed class LoopbackCallInvoker(object grain) : IGrainCallInvoker
{
    private readonly List<RecordedCall> _calls = [];

    public IReadOnlyList<RecordedCall> Calls => _calls;

    public RecordedCall LastCall => _calls[^1];

    /// <summary>A proxy of <typeparamref name="TGrainInterface"/> created through the registry, as the grain factory would.</summary>
    public TGrainInterface CreateProxy<TGrainInterface>(string key = "test")
    {
        var info = GrainCodeRegistry.FindInterface(typeof(TGrainInterface))
            ?? throw new InvalidOperationException($"{typeof(TGrainInterface).Name} is not registered");
        return (TGrainInterface)(object)info.CreateProxy(new GrainId("test", key), this);
    }

    public async Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        var result = await DispatchAsync(target, method, arguments, cancellationToken);
        return MessagePackSerializer.Deserialize<TResult>(result.Value);
    }

    public async Task InvokeAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        var result = await DispatchAsync(target, method, arguments, cancellationToken);
        if (!result.Value.Span.SequenceEqual(MessagePackSerializer.Nil.Span))
        {
            throw new InvalidOperationException($"{method.Name} returns nothing, but the invoker produced {Convert.ToHexString(result.Value.Span)}");
        }
    }

    public async IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(
        GrainReference target,
        GrainMethod method,
        ReadOnlyMemory<byte> arguments,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var result = await DispatchAsync(target, method, arguments, cancellationToken);
        var stream = result.Stream ?? throw new InvalidOperationException($"{method.Name} did not produce a stream");
        await foreach (var item in StreamSerialization.DeserializeItems<TItem>(stream, cancellationToken))
        {
            yield return item;
        }
    }

    private ValueTask<GrainCallResult> DispatchAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        _calls.Add(new RecordedCall(target, method, arguments.ToArray(), cancellationToken));
        var info = GrainCodeRegistry.FindInterface(method.InterfaceId)
            ?? throw new InvalidOperationException($"no grain interface with id 0x{method.InterfaceId:x8}");
        return info.Invoker.InvokeAsync(grain, method.MethodId, arguments, cancellationToken);
    }
}

/// <summary>One call as the runtime received it from a proxy.</summary>
internal sealed record RecordedCall(GrainReference Target, GrainMethod Method, byte[] Arguments, CancellationToken CancellationToken);
