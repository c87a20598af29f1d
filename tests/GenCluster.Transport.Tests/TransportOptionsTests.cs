using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenCluster.Transport.Tests;

public sealed class TransportOptionsTests
{
    [Fact]
    public async Task AddGenClusterTransport_binds_the_Transport_section_and_registers_server_and_client()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:ClusterId"] = "lab",
            ["Transport:ClusterSecret"] = "s3cret-from-config",
            ["Transport:MaxFrameSize"] = "1048576",
            ["Transport:HandshakeTimeout"] = "00:00:02",
            ["Transport:ValidatePayloads"] = "true",
        }).Build();
        await using var services = new ServiceCollection().AddGenClusterTransport(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<TransportOptions>>().Value;

        options.ClusterId.Should().Be("lab");
        options.ClusterSecret.Should().Be("s3cret-from-config");
        options.MaxFrameSize.Should().Be(1024 * 1024);
        options.HandshakeTimeout.Should().Be(TimeSpan.FromSeconds(2));
        options.ValidatePayloads.Should().BeTrue();
        options.ProtocolVersion.Should().Be(1, "unset values keep their defaults");
        services.GetRequiredService<TransportServer>().Should().BeSameAs(services.GetRequiredService<TransportServer>());
        services.GetRequiredService<TransportClient>().Should().NotBeNull();
    }

    [Fact]
    public void A_missing_secret_is_rejected_when_the_transport_is_created()
    {
        using var services = new ServiceCollection().AddGenClusterTransport(options => options.ClusterId = "lab").BuildServiceProvider();

        var resolve = () => services.GetRequiredService<TransportClient>();

        resolve.Should().Throw<OptionsValidationException>().WithMessage("*ClusterSecret is required*");
    }

    [Fact]
    public void Options_given_directly_are_validated_too()
    {
        using var loggerFactory = new RecordingLoggerProvider().CreateFactory();
        var invalid = new TransportOptions { ClusterSecret = "x", MaxFrameSize = 0, HandshakeTimeout = TimeSpan.Zero };

        var create = () => new TransportServer(Options.Create(invalid), loggerFactory);

        create.Should().Throw<OptionsValidationException>().WithMessage("*MaxFrameSize*").WithMessage("*HandshakeTimeout*");
    }
}
