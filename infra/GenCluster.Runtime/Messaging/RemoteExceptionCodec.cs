using System.Buffers;
using System.Runtime.ExceptionServices;
using GenCluster.MessagePack;

namespace GenCluster.Runtime.Messaging;

/// <summary>
/// Carries exceptions across the wire as <c>[type, message, stackTrace | nil, paramName | nil]</c>. The caller
/// rebuilds common BCL types (and the runtime's own) with the remote stack trace attached, so
/// <c>catch (KeyNotFoundException)</c> works across silos; anything else becomes a <see cref="RemoteGrainException"/>.
/// </summary>
internal static class RemoteExceptionCodec
{
    private static readonly Dictionary<string, Func<string, string?, Exception>> s_rebuilders = new(StringComparer.Ordinal)
    {
        [typeof(ArgumentException).FullName!] = (message, param) => new ArgumentException(message, param),
        [typeof(ArgumentNullException).FullName!] = (message, param) => new ArgumentNullException(param, message),
        [typeof(ArgumentOutOfRangeException).FullName!] = (message, param) => new ArgumentOutOfRangeException(param, message),
        [typeof(InvalidOperationException).FullName!] = (message, _) => new InvalidOperationException(message),
        [typeof(KeyNotFoundException).FullName!] = (message, _) => new KeyNotFoundException(message),
        [typeof(NotSupportedException).FullName!] = (message, _) => new NotSupportedException(message),
        [typeof(NotImplementedException).FullName!] = (message, _) => new NotImplementedException(message),
        [typeof(FormatException).FullName!] = (message, _) => new FormatException(message),
        [typeof(TimeoutException).FullName!] = (message, _) => new TimeoutException(message),
        [typeof(OperationCanceledException).FullName!] = (message, _) => new OperationCanceledException(message),
        [typeof(TaskCanceledException).FullName!] = (message, _) => new TaskCanceledException(message),
        [typeof(InconsistentStateException).FullName!] = (message, _) => new InconsistentStateException(message),
        [typeof(GrainCallTimeoutException).FullName!] = (message, _) => new GrainCallTimeoutException(message),
        [typeof(SiloUnavailableException).FullName!] = (message, _) => new SiloUnavailableException(message),
    };

    /// <summary>Encodes <paramref name="exception"/> (unwrapping a single-exception <see cref="AggregateException"/>).</summary>
    public static byte[] Encode(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        var (type, message) = exception switch
        {
            // A failure that already crossed the wire keeps its original type, so it reads the same two hops away.
            RemoteGrainException remote when remote.RemoteType.Length > 0 =>
                (remote.RemoteType, StripPrefix(remote.Message, remote.RemoteType + ": ")),
            ArgumentException { ParamName: { } param } argument =>
                (argument.GetType().FullName!, argument.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal)),
            _ => (exception.GetType().FullName ?? exception.GetType().Name, exception.Message),
        };

        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(4);
        writer.WriteString(type);
        writer.WriteString(message);
        writer.WriteString(exception.StackTrace);
        writer.WriteString((exception as ArgumentException)?.ParamName);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Rebuilds the exception described by <paramref name="body"/>; malformed input yields a <see cref="RemoteGrainException"/> saying so.</summary>
    public static Exception Decode(ReadOnlyMemory<byte> body)
    {
        string type, message;
        string? stackTrace, paramName;
        try
        {
            var reader = new MessagePackReader(body, MessageCodec.ReaderOptions);
            if (reader.ReadArrayHeader() < 4)
            {
                return new RemoteGrainException("unknown", "the remote error description is malformed", null);
            }

            type = reader.ReadString();
            message = reader.ReadString();
            stackTrace = reader.TryReadNil() ? null : reader.ReadString();
            paramName = reader.TryReadNil() ? null : reader.ReadString();
        }
        catch (MessagePackDecodeException e)
        {
            return new RemoteGrainException("unknown", $"the remote error description is malformed: {e.Reason}", null);
        }

        if (!s_rebuilders.TryGetValue(type, out var rebuild))
        {
            return new RemoteGrainException(type, message, stackTrace);
        }

        var exception = rebuild(message, paramName);
        return string.IsNullOrEmpty(stackTrace) ? exception : ExceptionDispatchInfo.SetRemoteStackTrace(exception, stackTrace);
    }

    private static string StripPrefix(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
