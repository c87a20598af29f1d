using GenCluster.CodeGen.Tests.Support;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Invocation;

/// <summary>
/// Generated serializers register from their assembly's module initializer, which .NET runs only once code of that
/// assembly is about to run — a type obtained by name (a message header, configuration) does not trigger it. No
/// other test touches GenCluster.CodeGen.SampleContracts, and this one names its type by string first, so its
/// module initializer has not run when the registry is asked.
/// </summary>
public sealed class CrossAssemblyRegistrationTests
{
    private const string RemoteReadingName = "GenCluster.CodeGen.SampleContracts.RemoteReading, GenCluster.CodeGen.SampleContracts";

    [Fact]
    public void A_generated_serializer_of_another_assembly_is_found_before_any_of_its_code_ran()
    {
        var type = Type.GetType(RemoteReadingName, throwOnError: true)!;

        SerializerRegistry.IsKnown(type).Should().BeTrue();

        var bytes = RoundTrip.Encode(RoundTrip.Map(
            (RoundTrip.Int(0), RoundTrip.Str("thermometer")),
            (RoundTrip.Int(1), GenCluster.MessagePack.MessagePackValue.FromFloat64(21.5))));
        var reading = typeof(MessagePackSerializer).GetMethod(nameof(MessagePackSerializer.Deserialize), [typeof(ReadOnlyMemory<byte>), typeof(GenCluster.MessagePack.MessagePackReaderOptions)])!
            .MakeGenericMethod(type)
            .Invoke(null, [new ReadOnlyMemory<byte>(bytes), null]);
        reading!.ToString().Should().Be("RemoteReading { Sensor = thermometer, Value = 21.5 }");
    }
}
