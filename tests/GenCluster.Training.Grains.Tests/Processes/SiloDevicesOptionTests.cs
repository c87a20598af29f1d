using GenCluster.Testing.Processes;
namespace GenCluster.Training.Grains.Tests.Processes;

/// <summary>The silo's <c>--devices</c> option is checked before the silo starts.</summary>
public sealed class SiloDevicesOptionTests
{
    [Fact]
    public async Task A_silo_refuses_to_start_with_a_device_that_is_not_cpu_or_cuda()
    {
        using var silo = SiloProcess.Start("bad-devices", ["--dev", "--devices", "cpu:0,tpu:1"]);

        var start = () => silo.WaitReadyAsync(TimeSpan.FromSeconds(60));

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain("exited with 2").And.Contain("Silo:Devices: 'tpu:1' is not a device");
    }
}
