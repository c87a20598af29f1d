using GenCluster.Runtime.Activation;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GenCluster.Runtime.Tests.Cluster;

public sealed class IdleCollectionTests
{
    [Fact]
    public async Task An_idle_activation_is_deactivated_and_a_busy_one_is_not()
    {
        await using var cluster = await TestCluster.StartAsync(1, services => services.Configure<GrainCollectionOptions>(options =>
        {
            options.CollectionAge = TimeSpan.FromMilliseconds(400);
            options.CollectionQuantum = TimeSpan.FromMilliseconds(100);
        }));
        var factory = cluster.Silos[0].GrainFactory;
        string idle = $"idle-{Guid.NewGuid():N}";
        string busy = $"busy-{Guid.NewGuid():N}";
        await factory.GetGrain<ILifecycleGrain>(idle).GetSiloName();
        await factory.GetGrain<ILifecycleGrain>(busy).GetSiloName();

        // A grain with a request in progress is never idle, however long the request takes.
        await factory.GetGrain<ILifecycleGrain>(busy).Busy(2500);

        LifecycleGrain.EventsOf(idle).Should().Contain("deactivate:Idle@silo-1");
        LifecycleGrain.EventsOf(busy).Should().Equal("activate@silo-1");

        await factory.GetGrain<ILifecycleGrain>(idle).GetSiloName();
        LifecycleGrain.EventsOf(idle).Should().Equal("activate@silo-1", "deactivate:Idle@silo-1", "activate@silo-1");
    }
}
