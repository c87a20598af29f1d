using GenCluster.Testing.Processes;
namespace GenCluster.Cluster.Tests;

/// <summary>A silo process refuses blob providers it cannot reach, before it joins anything.</summary>
public sealed class SiloConfigurationTests
{
    [Fact]
    public void A_silo_with_azure_providers_and_no_connection_exits_2_naming_the_keys()
    {
        using var silo = SiloProcess.Start("unconnected", LoopbackPorts.Free(),
        [
            "--secret", "configuration-test-secret",
            "--Membership:Provider=azure",
            "--Storage:Provider=Azure",
        ]);

        silo.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(silo.Output);
        silo.ExitCode.Should().Be(2, silo.Output);
        silo.Output.Should().Contain("Azure:ConnectionString or Azure:ServiceUri").And.NotContain("\"ready\":true");
    }

    [Fact]
    public void An_unknown_provider_lists_azure_among_the_choices()
    {
        using var silo = SiloProcess.Start("misconfigured", LoopbackPorts.Free(), ["--secret", "configuration-test-secret", "--Storage:Provider=s3"]);

        silo.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(silo.Output);
        silo.ExitCode.Should().Be(2, silo.Output);
        silo.Output.Should().Contain("Storage:Provider: 's3' is not one of memory, file, azure");
    }

    [Fact]
    public void A_connection_given_in_the_checkpoint_section_is_refused_pointing_to_the_shared_one()
    {
        using var silo = SiloProcess.Start("split-connection", LoopbackPorts.Free(),
        [
            "--secret", "configuration-test-secret",
            "--Checkpoints:Provider=azure",
            "--Checkpoints:Azure:ConnectionString=UseDevelopmentStorage=true",
        ]);

        silo.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(silo.Output);
        silo.ExitCode.Should().Be(2, silo.Output);
        silo.Output.Should().Contain("Checkpoints:Azure:ConnectionString: the blob providers share one connection; set Azure:ConnectionString instead")
            .And.Contain("Azure:ConnectionString or Azure:ServiceUri: required");
    }
}
