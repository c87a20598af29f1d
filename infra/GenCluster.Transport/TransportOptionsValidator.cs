using Microsoft.Extensions.Options;

namespace GenCluster.Transport;

/// <summary>Rejects transport settings that cannot work (no secret, non-positive sizes or timeouts).</summary>
internal sealed class TransportOptionsValidator : IValidateOptions<TransportOptions>
{
    /// <summary>Largest <see cref="TransportOptions.MaxFrameSize"/> allowed: 1 GiB.</summary>
    public const int MaxFrameSizeLimit = 1 << 30;

    /// <summary>Longest <see cref="TransportOptions.SiloReceivePolling"/> allowed: beyond a few milliseconds polling only burns CPU.</summary>
    public static readonly TimeSpan MaxSiloReceivePolling = TimeSpan.FromMilliseconds(10);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.ClusterSecret))
        {
            failures.Add($"{nameof(TransportOptions.ClusterSecret)} is required: every silo and client of a cluster must share it");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || options.ClusterId.Length > PeerIdentity.MaxNameLength)
        {
            failures.Add($"{nameof(TransportOptions.ClusterId)} must have 1 to {PeerIdentity.MaxNameLength} characters");
        }

        if (options.ProtocolVersion < 1)
        {
            failures.Add($"{nameof(TransportOptions.ProtocolVersion)} must be at least 1");
        }

        if (options.MaxFrameSize < 1 || options.MaxFrameSize > MaxFrameSizeLimit)
        {
            failures.Add($"{nameof(TransportOptions.MaxFrameSize)} must be between 1 and {MaxFrameSizeLimit} bytes");
        }

        if (options.MaxPendingSendBytes < 1)
        {
            failures.Add($"{nameof(TransportOptions.MaxPendingSendBytes)} must be positive");
        }

        if (options.SharedMemorySegmentSize is < SharedMemoryHost.MinimumSegmentSize or > SharedMemoryHost.MaximumSegmentSize)
        {
            failures.Add($"{nameof(TransportOptions.SharedMemorySegmentSize)} must be between {SharedMemoryHost.MinimumSegmentSize} and {SharedMemoryHost.MaximumSegmentSize} bytes");
        }

        if (options.SharedMemoryMinimumFrameSize < 1)
        {
            failures.Add($"{nameof(TransportOptions.SharedMemoryMinimumFrameSize)} must be positive");
        }

        if (options.SiloReceivePolling < TimeSpan.Zero || options.SiloReceivePolling > MaxSiloReceivePolling)
        {
            failures.Add($"{nameof(TransportOptions.SiloReceivePolling)} must be between 0 and {MaxSiloReceivePolling.TotalMilliseconds} ms");
        }

        RequirePositive(options.HandshakeTimeout, nameof(TransportOptions.HandshakeTimeout), failures);
        RequirePositive(options.ConnectTimeout, nameof(TransportOptions.ConnectTimeout), failures);
        RequirePositive(options.GracefulCloseTimeout, nameof(TransportOptions.GracefulCloseTimeout), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates options that did not come through the options pipeline (e.g. <c>Options.Create</c>).</summary>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public static TransportOptions ThrowIfInvalid(IOptions<TransportOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var result = new TransportOptionsValidator().Validate(Options.DefaultName, value);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TransportOptions), result.Failures);
        }

        return value;
    }

    private static void RequirePositive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive");
        }
    }
}
