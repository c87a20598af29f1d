using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GenCluster.CodeGen.Symbols;

/// <summary>How types and members are named in generated code and in stable ids.</summary>
internal static class TypeNames
{
    /// <summary><c>global::</c>-qualified, with nullable annotations, as generated code must spell a type.</summary>
    private static readonly SymbolDisplayFormat CodeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The type as generated code must spell it: <c>global::System.Collections.Generic.List&lt;string?&gt;</c>.</summary>
    public static string ForCode(ITypeSymbol type) => type.ToDisplayString(CodeFormat);

    /// <summary>
    /// The type as it enters a method id: namespace-qualified CLR names without keywords, nullable reference
    /// annotations or tuple element names (none of them changes what travels), e.g.
    /// <c>System.Collections.Generic.List&lt;System.Int32&gt;</c>, <c>System.Nullable&lt;System.Double&gt;</c>, <c>System.Single[]</c>.
    /// </summary>
    public static string ForSignature(ITypeSymbol type)
    {
        var text = new StringBuilder();
        AppendSignature(text, type);
        return text.ToString();
    }

    /// <summary>What <c>Type.FullName</c> returns for a non-generic type: <c>Namespace.Outer+Inner</c>.</summary>
    public static string MetadataFullName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            name = container.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>The namespace to declare generated code in: the type's own namespace under <c>GenClusterCodeGen</c>.</summary>
    public static string GeneratedNamespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? "GenClusterCodeGen." + ns.ToDisplayString() : "GenClusterCodeGen";

    /// <summary>A name for generated types derived from <paramref name="type"/>'s name: <c>Outer_Inner</c> for nested types.</summary>
    public static string GeneratedBaseName(INamedTypeSymbol type)
    {
        var name = type.Name;
        for (var container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            name = container.Name + "_" + name;
        }

        return name;
    }

    /// <summary>A file name for generated source, unique per type (generic arity included).</summary>
    public static string HintName(INamedTypeSymbol type, string suffix)
    {
        var name = MetadataFullName(type).Replace('+', '.').Replace('`', '_');
        return name + "." + suffix + ".g.cs";
    }

    /// <summary>An identifier as C# source: keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword
            ? "@" + name
            : name;

    private static void AppendSignature(StringBuilder text, ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                AppendSignature(text, array.ElementType);
                text.Append('[').Append(',', array.Rank - 1).Append(']');
                break;
            case INamedTypeSymbol named:
                var definition = named.IsTupleType && named.TupleUnderlyingType is { } underlying ? underlying : named;
                if (definition.ContainingType is { } container)
                {
                    AppendSignature(text, container);
                    text.Append('.');
                }
                else if (definition.ContainingNamespace is { IsGlobalNamespace: false } ns)
                {
                    text.Append(ns.ToDisplayString()).Append('.');
                }

                text.Append(definition.Name);
                if (definition.TypeArguments.Length > 0)
                {
                    text.Append('<');
                    foreach (var (argument, index) in definition.TypeArguments.Select((a, i) => (a, i)))
                    {
                        if (index > 0)
                        {
                            text.Append(',');
                        }

                        AppendSignature(text, argument);
                    }

                    text.Append('>');
                }

                break;
            default:
                text.Append(type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
                break;
        }
    }
}
