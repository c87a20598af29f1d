using System.Linq;
using Microsoft.CodeAnalysis;

namespace GenCluster.CodeGen.Symbols;

/// <summary>
/// Recognises the runtime's types and attributes by namespace and name, so the generator needs no reference to
/// GenCluster.Runtime.Abstractions (it runs inside the compiler, on netstandard2.0).
/// </summary>
internal static class KnownSymbols
{
    public const string RuntimeNamespace = "GenCluster.Runtime";

    public static bool Is(ITypeSymbol? type, string containingNamespace, string name, int arity = 0) =>
        type is INamedTypeSymbol { ContainingType: null } named
        && named.Name == name
        && named.Arity == arity
        && named.ContainingNamespace?.ToDisplayString() == containingNamespace;

    /// <summary><c>GenCluster.Runtime.IGrain</c> and the key-kind markers derived from it carry no methods of their own.</summary>
    public static bool IsGrainMarker(INamedTypeSymbol type) =>
        Is(type, RuntimeNamespace, "IGrain")
        || Is(type, RuntimeNamespace, "IGrainWithStringKey")
        || Is(type, RuntimeNamespace, "IGrainWithIntegerKey");

    /// <summary>An interface extending <c>IGrain</c> (directly or through a marker), other than the markers themselves.</summary>
    public static bool IsGrainInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface
        && !IsGrainMarker(type)
        && type.AllInterfaces.Any(i => Is(i, RuntimeNamespace, "IGrain"));

    public static bool DerivesFromGrain(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (Is(current, RuntimeNamespace, "Grain"))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsCancellationToken(ITypeSymbol type) => Is(type, "System.Threading", "CancellationToken");

    /// <summary><c>TensorDestination&lt;T&gt;</c>: a caller-side parameter that never travels; its element type.</summary>
    public static ITypeSymbol? TensorDestinationElement(ITypeSymbol type) =>
        Is(type, RuntimeNamespace, "TensorDestination", 1) ? ((INamedTypeSymbol)type).TypeArguments[0] : null;

    /// <summary><c>TensorView&lt;T&gt;</c>: its element type.</summary>
    public static ITypeSymbol? TensorViewElement(ITypeSymbol type) =>
        Is(type, RuntimeNamespace, "TensorView", 1) ? ((INamedTypeSymbol)type).TypeArguments[0] : null;

    public static AttributeData? FindAttribute(ISymbol symbol, string attributeName, string containingNamespace = RuntimeNamespace) =>
        symbol.GetAttributes().FirstOrDefault(a => Is(a.AttributeClass, containingNamespace, attributeName));

    /// <summary>The attribute on <paramref name="type"/> or, as for attributes declared inheritable, on a base class.</summary>
    public static AttributeData? FindInheritedAttribute(INamedTypeSymbol type, string attributeName)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            var attribute = FindAttribute(current, attributeName);
            if (attribute is not null)
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool HasAttribute(ISymbol symbol, string attributeName, string containingNamespace = RuntimeNamespace) =>
        FindAttribute(symbol, attributeName, containingNamespace) is not null;

    /// <summary>The string given to <c>[Alias("…")]</c>, or null.</summary>
    public static string? GetAlias(ISymbol symbol) =>
        FirstArgument(FindAttribute(symbol, "AliasAttribute")) as string;

    /// <summary>The id given to <c>[Id(n)]</c>, or null.</summary>
    public static uint? GetId(ISymbol symbol) =>
        FirstArgument(FindAttribute(symbol, "IdAttribute")) is uint id ? id : null;

    /// <summary>The value of an attribute's single constructor argument, or null.</summary>
    public static object? FirstArgument(AttributeData? attribute) =>
        attribute is { ConstructorArguments.Length: 1 } ? attribute.ConstructorArguments[0].Value : null;

    /// <summary>Whether generated code in the same assembly can name <paramref name="type"/> (no private or protected nesting, no file-local type).</summary>
    public static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return false;
            }

            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Public:
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
