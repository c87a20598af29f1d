using GenCluster.CodeGen.Tests.Grains;
using GenCluster.CodeGen.Tests.Support;
using GenCluster.Runtime.Invocation;

namespace GenCluster.CodeGen.Tests.Invocation;

/// <summary>Ids travel on the wire: they must be what FNV-1a of the documented names gives, and distinct.</summary>
public sealed class GeneratedIdTests
{
    [Theory]
    [InlineData("", 0x811C9DC5u)]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void The_independent_fnv1a_matches_published_test_vectors(string text, uint expected) =>
        Fnv1a.Hash(text).Should().Be(expected);

    [Fact]
    public void Interface_ids_hash_the_full_name_or_the_alias()
    {
        Id(typeof(ITestCallsGrain)).Should().Be(Fnv1a.Hash("GenCluster.CodeGen.Tests.Grains.ITestCallsGrain"));
        Id(typeof(ICounterGrain)).Should().Be(Fnv1a.Hash(typeof(ICounterGrain).FullName!));
        Id(typeof(IAliasedGrain)).Should().Be(Fnv1a.Hash("test-aliased-interface"));
    }

    [Theory]
    [InlineData("GetAnswer()", "GetAnswer")]
    [InlineData("Add(System.Int32,System.Int32)", "Add")]
    [InlineData("Describe(System.Int32,System.Int64,System.String,GenCluster.CodeGen.Tests.Contracts.Measurement)", "Describe")]
    [InlineData("Five(System.Int32,System.Int16,System.Byte,System.UInt64,GenCluster.CodeGen.Tests.Contracts.Color)", "Five")]
    [InlineData("Count(System.Int32,System.Int32,System.Threading.CancellationToken)", "Count")]
    [InlineData("Scale(System.Single[],System.Single)", "Scale")]
    [InlineData("Summarize(System.Collections.Generic.Dictionary<System.String,System.Int32>)", "Summarize")]
    [InlineData("Wrap(GenCluster.CodeGen.Tests.Contracts.Measurement)", "Wrap")]
    [InlineData("WaitForCancellation(System.TimeSpan,System.Threading.CancellationToken)", "WaitForCancellation")]
    [InlineData("Overloaded(System.Int32)", "Overloaded")]
    [InlineData("Overloaded(System.Int64)", "Overloaded")]
    [InlineData("renamed-method", "Aliased")]
    public void Method_ids_hash_the_signature_with_full_type_names_or_the_alias(string signature, string methodName)
    {
        var method = Invoker(typeof(ITestCallsGrain)).FindMethod(Fnv1a.Hash(signature));

        method.Should().NotBeNull($"'{signature}' should be the id text of {methodName}");
        method!.Name.Should().Be("ITestCallsGrain." + methodName);
        method.InterfaceId.Should().Be(Id(typeof(ITestCallsGrain)));
    }

    [Fact]
    public void Method_ids_are_distinct_within_an_interface_and_interface_ids_across_interfaces()
    {
        // The generated descriptors themselves: one per interface method.
        var descriptors = typeof(global::GenClusterCodeGen.GenCluster.CodeGen.Tests.Grains.ITestCallsGrainMethods)
            .GetFields()
            .Where(f => f.FieldType == typeof(GrainMethod))
            .Select(f => (GrainMethod)f.GetValue(null)!)
            .ToList();

        descriptors.Should().HaveCount(typeof(ITestCallsGrain).GetMethods().Length);
        descriptors.Select(d => d.MethodId).Should().OnlyHaveUniqueItems();
        descriptors.Should().OnlyContain(d => Invoker(typeof(ITestCallsGrain)).FindMethod(d.MethodId) == d);
        new[] { typeof(ITestCallsGrain), typeof(IIdentityGrain), typeof(ICounterGrain), typeof(IAliasedGrain) }
            .Select(Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void An_invoker_knows_only_its_own_methods()
    {
        var counter = Invoker(typeof(ICounterGrain));

        counter.FindMethod(Fnv1a.Hash("Increment(System.Int32)")).Should().NotBeNull();
        counter.FindMethod(Fnv1a.Hash("WhoAmI()")).Should().BeNull("the base interface's invoker dispatches it");
        Invoker(typeof(IIdentityGrain)).FindMethod(Fnv1a.Hash("WhoAmI()"))!.Name.Should().Be("IIdentityGrain.WhoAmI");
        counter.FindMethod(12345).Should().BeNull();
    }

    private static uint Id(Type grainInterface) => GrainCodeRegistry.FindInterface(grainInterface)!.InterfaceId;

    private static IGrainMethodInvoker Invoker(Type grainInterface) => GrainCodeRegistry.FindInterface(grainInterface)!.Invoker;
}
