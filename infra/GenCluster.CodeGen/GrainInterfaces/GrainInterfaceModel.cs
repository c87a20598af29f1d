using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;

namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>A grain interface found in the compilation, with everything needed to emit its proxy and invoker.</summary>
/// <param name="FullyQualifiedName">As generated code spells it (<c>global::Ns.IFoo</c>).</param>
/// <param name="DisplayName">Its simple name, for messages.</param>
/// <param name="IdName">The text its id is hashed from: its [Alias] or full metadata name.</param>
/// <param name="InterfaceId">FNV-1a of <paramref name="IdName"/>.</param>
/// <param name="GeneratedNamespace">Namespace of the generated types.</param>
/// <param name="GeneratedBaseName">Prefix of the generated type names.</param>
/// <param name="HintName">File name of the generated source.</param>
/// <param name="Location">Where it is declared, for diagnostics spanning several interfaces.</param>
/// <param name="Methods">Its own methods, then inherited ones.</param>
/// <param name="Diagnostics">Problems found; when any is an error nothing is generated.</param>
internal sealed record GrainInterfaceModel(
    string FullyQualifiedName,
    string DisplayName,
    string IdName,
    uint InterfaceId,
    string GeneratedNamespace,
    string GeneratedBaseName,
    string HintName,
    LocationInfo? Location,
    EquatableArray<GrainMethodModel> Methods,
    EquatableArray<DiagnosticInfo> Diagnostics);
