using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.GrainDirectory;

/// <summary>Serves this silo's <see cref="GrainDirectoryPartition"/> to other silos.</summary>
internal sealed class DirectorySystemTarget : ISystemTarget
{
    /// <summary>Method id of <see cref="IGrainDirectory.LookupAsync"/> (body: grain id; reply: address or nil).</summary>
    public const uint LookupMethod = 1;

    /// <summary>Method id of <see cref="IGrainDirectory.RegisterAsync"/> (body: address; reply: the registered address).</summary>
    public const uint RegisterMethod = 2;

    /// <summary>Method id of <see cref="IGrainDirectory.UnregisterAsync"/> (body: address; reply: nil).</summary>
    public const uint UnregisterMethod = 3;

    private static readonly byte[] s_nil = GrainAddressCodec.EncodeAddress(null);

    private readonly GrainDirectoryPartition _partition;

    /// <summary>Creates the target over <paramref name="partition"/>.</summary>
    public DirectorySystemTarget(GrainDirectoryPartition partition)
    {
        _partition = partition;
    }

    /// <inheritdoc />
    public string GrainType => SystemTargets.Directory.Type;

    /// <inheritdoc />
    public ValueTask<ReadOnlyMemory<byte>> InvokeAsync(Message request, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> reply = request.MethodId switch
        {
            LookupMethod => GrainAddressCodec.EncodeAddress(_partition.Lookup(GrainAddressCodec.DecodeGrainId(request.Body))),
            RegisterMethod => GrainAddressCodec.EncodeAddress(_partition.Register(RequireAddress(request.Body))),
            UnregisterMethod => Unregister(RequireAddress(request.Body)),
            _ => throw new NotSupportedException($"the directory has no method {request.MethodId}"),
        };
        return ValueTask.FromResult(reply);
    }

    private byte[] Unregister(GrainAddress address)
    {
        _partition.Unregister(address);
        return s_nil;
    }

    private static GrainAddress RequireAddress(ReadOnlyMemory<byte> body) =>
        GrainAddressCodec.DecodeAddress(body) ?? throw new FormatException("a grain address is required");
}
