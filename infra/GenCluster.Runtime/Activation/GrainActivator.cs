using System.Collections.Concurrent;
using GenCluster.Runtime.Invocation;

namespace GenCluster.Runtime.Activation;

/// <summary>Creates grain instances with constructor injection from the silo's services.</summary>
internal sealed class GrainActivator
{
    private readonly ConcurrentDictionary<Type, GrainConstructor> _constructors = new();
    private readonly IServiceProvider _services;

    /// <summary>Creates an activator over the silo's <paramref name="services"/>.</summary>
    public GrainActivator(IServiceProvider services)
    {
        _services = services;
    }

    /// <summary>Constructs an instance of <paramref name="grainClass"/> for <paramref name="context"/>.</summary>
    /// <exception cref="InvalidOperationException">A constructor parameter cannot be supplied, or the constructor threw.</exception>
    public GrainInstance CreateInstance(GrainClassInfo grainClass, IGrainContext context) =>
        _constructors.GetOrAdd(grainClass.GrainClass, GrainConstructor.For).Create(_services, context);
}
