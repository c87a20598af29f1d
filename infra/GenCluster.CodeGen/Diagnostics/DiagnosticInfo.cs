using GenCluster.CodeGen.Collections;
using Microsoft.CodeAnalysis;

namespace GenCluster.CodeGen.Diagnostics;

/// <summary>A diagnostic to report, kept as equatable values (see <see cref="LocationInfo"/>).</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, ISymbol? symbol, params string[] messageArguments) =>
        new(descriptor, symbol is null ? null : LocationInfo.From(symbol), messageArguments.ToEquatableArray());

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArguments) =>
        new(descriptor, location, messageArguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        var arguments = new object[MessageArguments.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = MessageArguments[i];
        }

        return Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, arguments);
    }
}
