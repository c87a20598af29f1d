using System.Runtime.CompilerServices;
using GenCluster.MessagePack;
using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Serialization;
using Microsoft.Extensions.Options;

namespace GenCluster.Runtime.Calls;

/// <summary>
/// What generated grain references call: turns a method call into a request message, sends it through an
/// <see cref="IRequestSender"/>, waits for the reply and deserializes the result or rebuilds the remote exception.
/// The current <see cref="RequestContext"/> travels with the request.
/// </summary>
internal sealed class GrainCallInvoker : IGrainCallInvoker
{
    private readonly IRequestSender _sender;
    private readonly GrainCallOptions _options;

    /// <summary>Creates an invoker over <paramref name="sender"/>.</summary>
    public GrainCallInvoker(IRequestSender sender, IOptions<GrainCallOptions> options)
    {
        _sender = sender;
        _options = options.Value;
    }

    /// <inheritdoc />
    public async Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(target, method, arguments, cancellationToken).ConfigureAwait(false);
        try
        {
            return Deserialize<TResult>(reply.Body);
        }
        finally
        {
            // The result is a copy (or a hand-over array of its own): a body kept in a received frame's pooled array
            // gives the array back.
            OwnedBytes.Release(reply.Body);
        }
    }

    /// <inheritdoc />
    public async Task<TensorView<T>> InvokeIntoAsync<T>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, Memory<T> destination, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var reply = await CallAsync(target, method, arguments, cancellationToken).ConfigureAwait(false);
        try
        {
            // Straight from the reply frame, or from the callee's own memory within the silo (a result sent by reference
            // is unchanged while its caller reads it), into the caller's memory.
            return TensorDestination.ReadInto(reply.Body, destination);
        }
        finally
        {
            OwnedBytes.Release(reply.Body);
        }
    }

    /// <inheritdoc />
    public async Task InvokeAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        if (method.OneWay)
        {
            await _sender.SendOneWayAsync(CreateRequest(target, method, arguments, MessageKind.OneWayRequest), cancellationToken).ConfigureAwait(false);
            return;
        }

        await CallAsync(target, method, arguments, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<TItem> InvokeStreamAsync<TItem>(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        // The request (and so the request context) is captured now, in the caller's flow, not at the first MoveNextAsync.
        var request = CreateRequest(target, method, arguments, MessageKind.Request);
        return ReadStreamAsync<TItem>(request, method.Name, cancellationToken);
    }

    private async Task<Message> CallAsync(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken)
    {
        // A grain's await resumes on its activation's scheduler, so the reply's thread only decodes the result and
        // queues the grain's continuation there: one hop instead of two. Other callers resume on the thread pool.
        var response = new UnaryResponse(continueWhereTheReplyArrives: ActivationTaskScheduler.IsRunningOnActivation);
        _sender.SendRequest(CreateRequest(target, method, arguments, MessageKind.Request), response, _options.ResponseTimeout, method.Name, cancellationToken);
        var reply = await response.Task.ConfigureAwait(false);
        if (reply.Kind == MessageKind.Error)
        {
            throw RemoteExceptionCodec.Decode(reply.Body);
        }

        return reply;
    }

    private async IAsyncEnumerable<TItem> ReadStreamAsync<TItem>(Message request, string what, CancellationToken callToken, [EnumeratorCancellation] CancellationToken enumeratorToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(callToken, enumeratorToken);
        var response = new StreamResponse();
        _sender.SendRequest(request, response, timeout: null, what, cancellation.Token);
        bool finished = false;
        try
        {
            while (await response.Replies.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (response.Replies.TryRead(out var reply))
                {
                    switch (reply.Kind)
                    {
                        case MessageKind.StreamItem:
                            yield return Deserialize<TItem>(reply.Body);
                            break;
                        case MessageKind.Error:
                            finished = true;
                            throw RemoteExceptionCodec.Decode(reply.Body);
                        case MessageKind.StreamEnd:
                            finished = true;
                            yield break;
                        case MessageKind.Response:
                            // A streaming method that completed without a stream (e.g. returned null): no items.
                            finished = true;
                            yield break;
                    }
                }
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // The consumer stopped early (break, dispose or cancellation): the callee stops producing.
                _sender.AbandonRequest(request.Id);
            }
        }
    }

    private Message CreateRequest(GrainReference target, GrainMethod method, ReadOnlyMemory<byte> arguments, MessageKind kind)
    {
        var headers = RequestContext.Export();
        return new Message
        {
            Id = _sender.NextMessageId(),
            Kind = kind,
            Target = target.GrainId,
            InterfaceId = method.InterfaceId,
            MethodId = method.MethodId,
            Headers = headers.Count == 0 ? null : headers,
            Body = arguments,
        };
    }

    private static T Deserialize<T>(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        return Serializer<T>.Instance.Deserialize(ref reader);
    }
}
