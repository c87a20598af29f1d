using GenCluster.Runtime.Gateway;
using GenCluster.Runtime.Hosting;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Tests.Grains;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class HostingTests(ClusterFixture fixture)
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task The_health_report_shows_an_active_member_with_its_activations_and_clients()
    {
        await fixture.Client.GetGrain<ICounterGrain>($"health-{Guid.NewGuid():N}").Increment();

        var reports = Cluster.Silos.Select(s => s.Silo.GetHealth()).ToList();

        reports.Should().OnlyContain(r => r.IsHealthy && r.Status == SiloLifecycleStatus.Active && r.ActiveSilos == 3 && r.MembershipVersion > 0);
        reports.Select(r => r.SiloName).Should().Equal("silo-1", "silo-2", "silo-3");
        reports.Sum(r => r.Activations).Should().BeGreaterThan(0);
        reports[0].ConnectedClients.Should().BeGreaterThan(0, "the client's first gateway is silo-1");
        reports.Select(r => r.Address).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task The_membership_row_advertises_the_gateway_and_devices()
    {
        var table = await Cluster.Table.ReadAllAsync(CancellationToken.None);

        var row = table.Rows.Single(r => r.Entry.SiloName == "silo-1").Entry;
        row.Properties["gateway"].Should().Be(Cluster.Silos[0].Gateway);
        row.Properties["devices"].Should().Be("cpu:0");
    }

    [Fact]
    public async Task A_one_way_call_returns_at_once_and_still_runs()
    {
        var counter = fixture.Client.GetGrain<ICounterGrain>($"oneway-{Guid.NewGuid():N}");

        await counter.Bump();
        await counter.Bump();

        await Cluster.WaitUntilAsync(async () => await counter.Increment() >= 3, "both one-way calls ran");
    }

    [Fact]
    public async Task Integer_keys_address_grains_by_their_decimal_form()
    {
        (await fixture.Client.GetGrain<IIntegerKeyGrain>(-42).GetKey()).Should().Be("-42");
        (await Cluster.Silos[1].GrainFactory.GetGrain<IIntegerKeyGrain>(long.MaxValue).GetKey()).Should().Be("9223372036854775807");
    }

    [Fact]
    public void The_manifest_maps_each_interface_to_its_single_implementation()
    {
        var manifest = GrainManifest.Decode(GrainManifest.Encode(GrainManifest.FromRegistry()));

        manifest[GrainCodeRegistry.FindInterface(typeof(ICounterGrain))!.InterfaceId].Should().Be("counter");
        manifest[GrainCodeRegistry.FindInterface(typeof(IActivationCountingGrain))!.InterfaceId].Should().Be("preferlocal");
    }
}
