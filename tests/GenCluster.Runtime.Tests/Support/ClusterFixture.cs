namespace GenCluster.Runtime.Tests.Support;

/// <summary>A three-silo cluster with a client, shared by the tests of the <c>cluster</c> collection (they leave it whole).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private TestCluster? _cluster;
    private Client.ClusterClient? _client;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    public Client.ClusterClient Client => _client ?? throw new InvalidOperationException("the client has not connected");

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(3);
        _client = await _cluster.ConnectClientAsync(tenant: "tenant-a");
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
