using Microsoft.CodeAnalysis;

namespace GenCluster.CodeGen.Tests.Generator;

/// <summary>The generator refuses shapes that could not work at run time or on the wire, with an error at the culprit.</summary>
public sealed class GeneratorDiagnosticsTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using GenCluster.Runtime;\n";

    [Fact]
    public void An_unsupported_return_type_is_an_error_at_the_method()
    {
        var run = GeneratorHarness.Run(Usings + """
            public interface IShop : IGrainWithStringKey
            {
                Task<int> Fine();
                int Count();
            }
            """);

        var error = run.Single("GC0003");
        error.Severity.Should().Be(DiagnosticSeverity.Error);
        error.GetMessage().Should().Contain("IShop.Count").And.Contain("int");
        var tree = run.Input.SyntaxTrees.Single(t => t.FilePath == error.Location.GetLineSpan().Path);
        tree.GetText().ToString(error.Location.SourceSpan).Should().Be("Count");
        run.GeneratedTrees.Should().BeEmpty("nothing is generated for an interface with errors");
    }

    [Fact]
    public void A_serialized_member_without_an_id_is_an_error_at_the_member()
    {
        var run = GeneratorHarness.Run(Usings + """
            [GenerateSerializer]
            public sealed class Order
            {
                [Id(0)] public int Quantity { get; set; }
                public string Note { get; set; } = "";
                public int Computed => Quantity * 2;
                [field: NonSerialized] public int Cache { get; set; }
            }

            [GenerateSerializer]
            public sealed record Line([Id(0)] string Product, int Count);
            """);

        var errors = run.GeneratorDiagnostics.Where(d => d.Id == "GC0010").ToList();
        errors.Should().HaveCount(2);
        errors.Select(e => e.GetMessage()).Should().Contain(m => m.Contains("Property 'Note'") && m.Contains("Order"));
        errors.Select(e => e.GetMessage()).Should().Contain(m => m.Contains("Constructor parameter 'Count'") && m.Contains("Line"));
        errors.Should().OnlyContain(e => e.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void By_reference_parameters_generic_methods_and_misused_attributes_are_errors()
    {
        var run = GeneratorHarness.Run(Usings + """
            public interface IBad : IGrainWithStringKey
            {
                Task Out(out int value);
                Task<T> Generic<T>(T value);
                [OneWay] Task<int> OneWayWithResult();
                Task TwoTokens(CancellationToken a, CancellationToken b);
                int Property { get; }
                Task Span(Span<byte> bytes);
            }
            """);

        run.Ids.Should().Contain(["GC0004", "GC0005", "GC0007", "GC0008", "GC0006", "GC0009"]);
        run.Single("GC0004").GetMessage().Should().Contain("'value'").And.Contain("out");
    }

    [Fact]
    public void A_tensor_destination_needs_a_tensor_view_result_of_its_element_type()
    {
        var run = GeneratorHarness.Run(Usings + """
            public interface IDestinations : IGrainWithStringKey
            {
                Task<TensorView<float>> Fine(TensorView<float> values, TensorDestination<float> into);
                Task<TensorView<double>> OtherElements(TensorDestination<float> into);
                Task NoResult(TensorDestination<float> into);
                Task<TensorView<float>> Twice(TensorDestination<float> a, TensorDestination<float> b);
            }
            """);

        var messages = run.GeneratorDiagnostics.Where(d => d.Id == "GC0015").Select(d => d.GetMessage()).ToList();
        messages.Should().HaveCount(3);
        messages.Should().ContainSingle(m => m.Contains("OtherElements") && m.Contains("TensorView<float>"));
        messages.Should().ContainSingle(m => m.Contains("NoResult") && m.Contains("Task<TensorView<T>>"));
        messages.Should().ContainSingle(m => m.Contains("Twice") && m.Contains("more than one"));

        var valid = GeneratorHarness.Run(Usings + """
            public interface IDestination : IGrainWithStringKey
            {
                Task<TensorView<float>> Fine(TensorView<float> values, TensorDestination<float> into, CancellationToken cancellationToken);
                ValueTask<TensorView<long>> AlsoFine(TensorDestination<long> into);
            }
            """);
        valid.GeneratorDiagnostics.Should().BeEmpty();
        valid.CompilationProblems.Should().BeEmpty("the proxy passes the destination to the invoker, the invoker passes the default to the grain");
    }

    [Fact]
    public void Duplicate_ids_are_errors()
    {
        var run = GeneratorHarness.Run(Usings + """
            public interface IOne : IGrainWithStringKey
            {
                [Alias("same")] Task A();
                [Alias("same")] Task B();
            }

            [Alias("shared")] public interface IFirst : IGrainWithStringKey { Task X(); }
            [Alias("shared")] public interface ISecond : IGrainWithStringKey { Task Y(); }

            [GenerateSerializer]
            public sealed class Twice { [Id(1)] public int A { get; set; } [Id(1)] public int B { get; set; } }
            """);

        run.Single("GC0001").GetMessage().Should().Contain("IOne");
        run.Single("GC0002").GetMessage().Should().Contain("IFirst").And.Contain("ISecond");
        run.Single("GC0011").GetMessage().Should().Contain("[Id(1)]");
    }

    [Fact]
    public void Unsupported_serializable_shapes_and_grain_classes_are_errors()
    {
        var run = GeneratorHarness.Run(Usings + """
            [GenerateSerializer] public abstract class Shape { }
            [GenerateSerializer] public sealed class ReadOnlyThing { [Id(0)] public int Value { get; } }
            [GenerateSerializer] public sealed class NoConstructor { private NoConstructor() { } [Id(0)] public int A { get; set; } }

            public interface IThing : IGrainWithStringKey { Task Do(); }
            [GrainType("bad/name")] public sealed class ThingGrain : Grain, IThing { public Task Do() => Task.CompletedTask; }
            [GrainType("twin")] public sealed class OneGrain : Grain, IThing { public Task Do() => Task.CompletedTask; }
            [GrainType("twin")] public sealed class TwoGrain : Grain, IThing { public Task Do() => Task.CompletedTask; }
            """);

        run.GeneratorDiagnostics.Where(d => d.Id == "GC0012").Select(d => d.GetMessage()).Should().SatisfyRespectively(
            m => m.Should().Contain("Shape").And.Contain("abstract"),
            m => m.Should().Contain("'Value'").And.Contain("no setter"),
            m => m.Should().Contain("NoConstructor").And.Contain("no constructor"));
        run.Single("GC0013").GetMessage().Should().Contain("bad/name");
        run.Single("GC0014").GetMessage().Should().Contain("twin");
    }

    [Fact]
    public void Valid_shapes_generate_code_that_compiles_without_warnings()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Outer.Space
            {
                public static class Holder
                {
                    public interface INested : IGrainWithIntegerKey
                    {
                        Task<int?> Maybe(int? value, string @event, CancellationToken cancellationToken = default);
                        ValueTask<(int A, string B)> Pair((int, string) pair);
                        IAsyncEnumerable<string?> Lines(params string[] lines);
                    }

                    [GenerateSerializer]
                    public readonly record struct Reading([Id(0)] double Value, [Id(1)] string Unit = "kg");
                }

                public interface IDerived : Holder.INested { Task<Holder.Reading> Last(); }

                public sealed class DerivedGrain : Grain, IDerived
                {
                    public Task<int?> Maybe(int? value, string @event, CancellationToken cancellationToken) => Task.FromResult(value);
                    public ValueTask<(int A, string B)> Pair((int, string) pair) => ValueTask.FromResult(pair);
                    public async IAsyncEnumerable<string?> Lines(params string[] lines) { foreach (var l in lines) { await Task.Yield(); yield return l; } }
                    public Task<Holder.Reading> Last() => Task.FromResult(new Holder.Reading(1));
                }

                [GenerateSerializer]
                public sealed class Box<T, TKey> where T : class, new() where TKey : notnull
                {
                    [Id(0)] public T? Item { get; init; }
                    [Id(1)] public Dictionary<TKey, T>? Index { get; set; }
                    [Id(2)] public required int Version { get; init; }
                    [Id(3)] public int Field;
                }

                [GenerateSerializer]
                public struct Mutable { [Id(0)] public int X { get; init; } [Id(1)] public int Y; }

                [GenerateSerializer] public enum Level : long { Low = -1, High = long.MaxValue }
            }

            public interface IGlobal : IGrainWithStringKey { Task Ping(); }
            """);

        run.GeneratorDiagnostics.Should().BeEmpty();
        run.GeneratedTrees.Should().HaveCount(8);
        run.CompilationProblems.Should().BeEmpty();
    }

    [Fact]
    public void An_unrelated_edit_reuses_every_cached_model()
    {
        var first = GeneratorHarness.Run(Usings + """
            public interface ICached : IGrainWithStringKey { Task<int> Get(); }
            public sealed class CachedGrain : Grain, ICached { public Task<int> Get() => Task.FromResult(1); }
            [GenerateSerializer] public sealed class Payload { [Id(0)] public int A { get; set; } }
            """);

        var edited = first.Input.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            "public static class Unrelated { public static int Answer => 42; }",
            new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)));
        var result = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).ToList();
        outputs.Should().NotBeEmpty();
        outputs.Should().OnlyContain(o => o.Reason == IncrementalStepRunReason.Cached || o.Reason == IncrementalStepRunReason.Unchanged);
    }
}
