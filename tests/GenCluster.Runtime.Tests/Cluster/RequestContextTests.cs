using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class RequestContextTests(ClusterFixture fixture) : IDisposable
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    public void Dispose() => RequestContext.Clear();

    [Fact]
    public async Task Trace_context_flows_from_the_client_through_a_grain_to_a_grain_on_another_silo()
    {
        var first = fixture.Client.GetGrain<IContextGrain>($"context-{Guid.NewGuid():N}");
        string firstSilo = await first.GetSiloName();
        string? otherKey = null;
        for (int i = 0; i < 100 && otherKey is null; i++)
        {
            string candidate = $"context-other-{i}-{Guid.NewGuid():N}";
            if (await fixture.Client.GetGrain<IContextGrain>(candidate).GetSiloName() != firstSilo)
            {
                otherKey = candidate;
            }
        }

        otherKey.Should().NotBeNull();
        RequestContext.Set(RequestContext.TraceParent, TraceParent);
        RequestContext.Set(RequestContext.TraceState, "vendor=1");

        (await first.Get(RequestContext.TraceParent)).Should().Be(TraceParent);
        (await first.GetVia(otherKey!, RequestContext.TraceParent)).Should().Be(TraceParent);
        (await first.GetVia(otherKey!, RequestContext.TraceState)).Should().Be("vendor=1");
    }

    [Fact]
    public async Task A_turn_sees_only_the_context_of_its_own_request()
    {
        var grain = fixture.Client.GetGrain<IContextGrain>($"context-clean-{Guid.NewGuid():N}");
        RequestContext.Set("run", "first");
        (await grain.Get("run")).Should().Be("first");

        RequestContext.Clear();
        (await grain.Get("run")).Should().BeNull("the previous request's values do not linger in the activation");
    }

    [Fact]
    public async Task The_tenant_is_the_authenticated_one_whatever_the_client_claims()
    {
        var grain = fixture.Client.GetGrain<IContextGrain>($"tenant-{Guid.NewGuid():N}");
        RequestContext.Set(RequestContext.Tenant, "tenant-b");

        (await grain.Get(RequestContext.Tenant)).Should().Be("tenant-a");
        (await grain.GetVia($"tenant-other-{Guid.NewGuid():N}", RequestContext.Tenant)).Should().Be("tenant-a");
    }
}
