using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;

namespace GenCluster.CodeGen.GrainClasses;

/// <summary>A grain class found in the compilation, as the runtime registry needs it.</summary>
/// <param name="FullyQualifiedName">As generated code spells it.</param>
/// <param name="DisplayName">Its simple name, for messages.</param>
/// <param name="GrainType">The grain type name: [GrainType] or the class name without "Grain", lower case.</param>
/// <param name="Interfaces">The grain interfaces it implements, as generated code spells them.</param>
/// <param name="Placement">The <c>PlacementKind</c> member name.</param>
/// <param name="Reentrant">Marked (or inherits) [Reentrant].</param>
/// <param name="GeneratedNamespace">Namespace of the generated registration.</param>
/// <param name="GeneratedBaseName">Prefix of the generated type name.</param>
/// <param name="HintName">File name of the generated source.</param>
/// <param name="Location">Where it is declared.</param>
/// <param name="Diagnostics">Problems found; when any is an error nothing is generated.</param>
internal sealed record GrainClassModel(
    string FullyQualifiedName,
    string DisplayName,
    string GrainType,
    EquatableArray<string> Interfaces,
    string Placement,
    bool Reentrant,
    string GeneratedNamespace,
    string GeneratedBaseName,
    string HintName,
    LocationInfo? Location,
    EquatableArray<DiagnosticInfo> Diagnostics);
