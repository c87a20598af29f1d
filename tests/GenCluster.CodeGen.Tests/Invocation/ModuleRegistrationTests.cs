using GenCluster.CodeGen.Tests.Contracts;
using GenCluster.CodeGen.Tests.Grains;
using GenCluster.Runtime;
using GenCluster.Runtime.Invocation;
using GenCluster.Runtime.Serialization;

namespace GenCluster.CodeGen.Tests.Invocation;

/// <summary>The generated module initializers fill the registries when the assembly loads; nothing registers by hand.</summary>
public sealed class ModuleRegistrationTests
{
    [Theory]
    [InlineData(typeof(ITestCallsGrain))]
    [InlineData(typeof(IIdentityGrain))]
    [InlineData(typeof(ICounterGrain))]
    [InlineData(typeof(IAliasedGrain))]
    public void Every_grain_interface_is_registered_with_its_proxy_and_invoker(Type grainInterface)
    {
        var info = GrainCodeRegistry.FindInterface(grainInterface);

        info.Should().NotBeNull();
        info!.Invoker.InterfaceType.Should().Be(grainInterface);
        info.Invoker.InterfaceId.Should().Be(info.InterfaceId);
        GrainCodeRegistry.FindInterface(info.InterfaceId)!.InterfaceType.Should().Be(grainInterface);
        info.CreateProxy(new GrainId("t", "k"), new Support.LoopbackCallInvoker(new object())).Should().BeAssignableTo(grainInterface);
    }

    [Fact]
    public void Grain_classes_are_registered_with_type_name_interfaces_placement_and_reentrancy()
    {
        var calls = GrainCodeRegistry.FindImplementation(typeof(ITestCallsGrain));
        calls.GrainClass.Should().Be<TestCallsGrain>();
        calls.GrainType.Should().Be("testcalls");
        calls.Interfaces.Should().Equal(typeof(ITestCallsGrain));
        calls.Placement.Should().Be(PlacementKind.HashBased);
        calls.Reentrant.Should().BeFalse();

        var counter = GrainCodeRegistry.FindGrainType("custom-counter");
        counter!.GrainClass.Should().Be<CounterGrain>();
        counter.Interfaces.Should().BeEquivalentTo([typeof(ICounterGrain), typeof(IIdentityGrain)]);
        counter.Placement.Should().Be(PlacementKind.PreferLocal);
        counter.Reentrant.Should().BeTrue();

        var pinned = GrainCodeRegistry.FindImplementation(typeof(IAliasedGrain));
        pinned.GrainClass.Should().Be<PinnedKeyGrain>("the abstract base is not activatable");
        pinned.GrainType.Should().Be("pinnedkey");
        pinned.Placement.Should().Be(PlacementKind.Pinned, "[Placement] is inherited from the base class");
    }

    [Fact]
    public void Generated_serializers_are_registered()
    {
        SerializerRegistry.IsKnown(typeof(Measurement)).Should().BeTrue();
        SerializerRegistry.IsKnown(typeof(Coordinates)).Should().BeTrue();
        SerializerRegistry.IsKnown(typeof(Envelope<DateTime>)).Should().BeTrue();
        SerializerRegistry.IsKnown(typeof(Color)).Should().BeTrue();
        Serializer<Measurement>.Instance.GetType().Namespace.Should().StartWith("GenClusterCodeGen.");
    }
}
