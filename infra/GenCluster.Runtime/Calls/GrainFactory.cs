using System.Globalization;
using GenCluster.Runtime.Invocation;

namespace GenCluster.Runtime.Calls;

/// <summary>Creates grain references whose calls go through one <see cref="IGrainCallInvoker"/> (a silo's or a client's).</summary>
internal sealed class GrainFactory : IGrainFactory
{
    private readonly IGrainCallInvoker _invoker;
    private readonly GrainTypeResolver _types;

    /// <summary>Creates a factory.</summary>
    public GrainFactory(IGrainCallInvoker invoker, GrainTypeResolver types)
    {
        _invoker = invoker;
        _types = types;
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create<TGrainInterface>(key);
    }

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long key)
        where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(key.ToString(CultureInfo.InvariantCulture));

    private TGrainInterface Create<TGrainInterface>(string key)
    {
        var info = GrainTypeResolver.FindInterface(typeof(TGrainInterface));
        var grainId = new GrainId(_types.Resolve(typeof(TGrainInterface)), key);
        return (TGrainInterface)(object)info.CreateProxy(grainId, _invoker);
    }
}
