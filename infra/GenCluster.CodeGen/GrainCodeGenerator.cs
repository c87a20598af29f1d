using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;
using GenCluster.CodeGen.GrainClasses;
using GenCluster.CodeGen.GrainInterfaces;
using GenCluster.CodeGen.Serializers;
using Microsoft.CodeAnalysis;

namespace GenCluster.CodeGen;

/// <summary>
/// Generates, at build time, what the runtime would otherwise need reflection for: for each grain interface a proxy,
/// an invoker and stable method ids; for each grain class its registration; for each [GenerateSerializer] type a
/// MessagePack serializer. Every generated file registers itself from a module initializer.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainCodeGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(GrainInterfaceParser.IsCandidate, GrainInterfaceParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(interfaces, static (output, model) =>
        {
            if (Report(output, model.Diagnostics))
            {
                output.AddSource(model.HintName, GrainInterfaceEmitter.Emit(model));
            }
        });
        context.RegisterSourceOutput(interfaces.Collect(), static (output, models) => ReportDuplicateInterfaceIds(output, models));

        var grainClasses = context.SyntaxProvider
            .CreateSyntaxProvider(GrainClassParser.IsCandidate, GrainClassParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(grainClasses, static (output, model) =>
        {
            if (Report(output, model.Diagnostics))
            {
                output.AddSource(model.HintName, GrainClassEmitter.Emit(model));
            }
        });
        context.RegisterSourceOutput(grainClasses.Collect(), static (output, models) => ReportDuplicateGrainTypes(output, models));

        var serializableTypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(SerializableTypeParser.AttributeMetadataName, static (_, _) => true, SerializableTypeParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(serializableTypes, static (output, model) =>
        {
            if (Report(output, model.Diagnostics))
            {
                output.AddSource(model.HintName, SerializerEmitter.Emit(model));
            }
        });
    }

    /// <summary>Reports <paramref name="diagnostics"/>; returns whether code may be generated (no errors).</summary>
    private static bool Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        bool hasErrors = false;
        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
            hasErrors |= diagnostic.Descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        }

        return !hasErrors;
    }

    private static void ReportDuplicateInterfaceIds(SourceProductionContext output, ImmutableArray<GrainInterfaceModel> models)
    {
        var seen = new Dictionary<uint, GrainInterfaceModel>();
        foreach (var model in models.OrderBy(m => m.IdName, System.StringComparer.Ordinal))
        {
            if (seen.TryGetValue(model.InterfaceId, out var first))
            {
                output.ReportDiagnostic(DiagnosticInfo.Create(
                    GenClusterDiagnostics.DuplicateInterfaceId,
                    model.Location,
                    first.DisplayName,
                    model.DisplayName,
                    model.InterfaceId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).ToDiagnostic());
            }
            else
            {
                seen.Add(model.InterfaceId, model);
            }
        }
    }

    private static void ReportDuplicateGrainTypes(SourceProductionContext output, ImmutableArray<GrainClassModel> models)
    {
        var seen = new Dictionary<string, GrainClassModel>(System.StringComparer.Ordinal);
        foreach (var model in models.OrderBy(m => m.FullyQualifiedName, System.StringComparer.Ordinal))
        {
            if (seen.TryGetValue(model.GrainType, out var first))
            {
                output.ReportDiagnostic(DiagnosticInfo.Create(
                    GenClusterDiagnostics.DuplicateGrainType,
                    model.Location,
                    first.DisplayName,
                    model.DisplayName,
                    model.GrainType).ToDiagnostic());
            }
            else
            {
                seen.Add(model.GrainType, model);
            }
        }
    }
}
