using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GenCluster.Testing.Azurite;

namespace GenCluster.Storage.Tests.Azurite;

public class AzuriteProcessTests
{
    [Fact]
    public async Task Starts_on_a_loopback_port_answers_and_is_gone_after_dispose()
    {
        int pid;
        int port;
        using (var azurite = await AzuriteProcess.StartAsync())
        {
            pid = azurite.ProcessId;
            port = azurite.Port;
            azurite.BlobEndpoint.Host.Should().Be("127.0.0.1");
            port.Should().BePositive();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await http.GetAsync(new Uri(azurite.BlobEndpoint, "/devstoreaccount1?comp=list"));
            // An unsigned request reaches Azurite's authentication: refused, but by Azurite.
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
            response.Headers.Server.ToString().Should().Contain("Azurite");
        }

        ProcessIsGone(pid).Should().BeTrue("the process is killed by its PID on dispose");
        var connect = async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        };
        await connect.Should().ThrowAsync<SocketException>("nothing listens on the port any more");
    }

    private static bool ProcessIsGone(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
