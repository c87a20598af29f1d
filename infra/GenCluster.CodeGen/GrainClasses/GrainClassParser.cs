using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;
using GenCluster.CodeGen.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GenCluster.CodeGen.GrainClasses;

/// <summary>Turns a class declaration into a <see cref="GrainClassModel"/> when it is an activatable grain class.</summary>
internal static class GrainClassParser
{
    private const string DefaultPlacement = "HashBased";

    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node is ClassDeclarationSyntax;

    public static GrainClassModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol
            || symbol.IsAbstract
            || symbol.IsStatic
            || !KnownSymbols.DerivesFromGrain(symbol)
            || (symbol.DeclaringSyntaxReferences.Length > 1 && symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) != declaration))
        {
            return null;
        }

        var interfaces = symbol.AllInterfaces.Where(KnownSymbols.IsGrainInterface).ToList();
        if (interfaces.Count == 0)
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        if (symbol.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.UnsupportedGrainClass, symbol, symbol.Name, "generic grain classes are not supported"));
        }

        if (!KnownSymbols.IsAccessibleFromAssembly(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                GenClusterDiagnostics.UnsupportedGrainClass,
                symbol,
                symbol.Name,
                "the runtime cannot see it: make it public or internal, and not nested in a private or protected type"));
        }

        string grainType = GrainTypeName(symbol, diagnostics);
        return new GrainClassModel(
            TypeNames.ForCode(symbol),
            symbol.Name,
            grainType,
            interfaces.Select(TypeNames.ForCode).ToEquatableArray(),
            PlacementName(symbol),
            KnownSymbols.FindInheritedAttribute(symbol, "ReentrantAttribute") is not null,
            TypeNames.GeneratedNamespace(symbol),
            TypeNames.GeneratedBaseName(symbol),
            TypeNames.HintName(symbol, "GrainClass"),
            LocationInfo.From(symbol),
            diagnostics.ToEquatableArray());
    }

    private static string GrainTypeName(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
    {
        if (KnownSymbols.FindAttribute(symbol, "GrainTypeAttribute") is { } grainTypeAttribute)
        {
            var value = KnownSymbols.FirstArgument(grainTypeAttribute);
            // Explicit names are taken as written: they are what ops tooling and persisted grain ids already use.
            string name = value as string ?? string.Empty;
            if (name.Length == 0 || name.IndexOf('/') >= 0 || name.Trim() != name)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.UnsupportedGrainClass,
                    symbol,
                    symbol.Name,
                    $"[GrainType(\"{name}\")] must be non-empty, without '/' (it separates type and key in a grain id) and without surrounding spaces"));
            }

            return name;
        }

        string derived = symbol.Name.Length > "Grain".Length && symbol.Name.EndsWith("Grain", System.StringComparison.Ordinal)
            ? symbol.Name.Substring(0, symbol.Name.Length - "Grain".Length)
            : symbol.Name;
        return derived.ToLowerInvariant();
    }

    private static string PlacementName(INamedTypeSymbol symbol)
    {
        // [Placement] is inheritable (its AttributeUsage keeps the default Inherited = true).
        if (KnownSymbols.FindInheritedAttribute(symbol, "PlacementAttribute") is { ConstructorArguments.Length: 1 } placement
            && placement.ConstructorArguments[0] is { Type: INamedTypeSymbol kind, Value: var value })
        {
            var member = kind.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            if (member is not null)
            {
                return member.Name;
            }
        }

        return DefaultPlacement;
    }
}
