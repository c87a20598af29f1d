using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;

namespace GenCluster.CodeGen.Serializers;

/// <summary>A [GenerateSerializer] type with everything needed to emit its serializer.</summary>
/// <param name="FullyQualifiedName">As generated code spells it, with its own type parameters (<c>global::Ns.Envelope&lt;T&gt;</c>).</param>
/// <param name="DisplayName">Its simple name, for messages.</param>
/// <param name="IsEnum">An enum: travels as its underlying integer.</param>
/// <param name="EnumUnderlyingType">The enum's underlying type keyword (<c>int</c>, <c>byte</c>…).</param>
/// <param name="IsValueType">A struct (never nil on the wire) rather than a class (nil for null).</param>
/// <param name="GeneratedNamespace">Namespace of the generated serializer.</param>
/// <param name="SerializerName">Name of the generated serializer class, without type parameters.</param>
/// <param name="TypeParameters">The type's type parameters (the serializer repeats them).</param>
/// <param name="ConstraintClauses">Their <c>where</c> clauses.</param>
/// <param name="OpenGenericName">For generic types, <c>global::Ns.Envelope&lt;&gt;</c>; otherwise empty.</param>
/// <param name="HintName">File name of the generated source.</param>
/// <param name="Members">The members that travel.</param>
/// <param name="Diagnostics">Problems found; when any is an error nothing is generated.</param>
internal sealed record SerializableTypeModel(
    string FullyQualifiedName,
    string DisplayName,
    bool IsEnum,
    string? EnumUnderlyingType,
    bool IsValueType,
    string GeneratedNamespace,
    string SerializerName,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> ConstraintClauses,
    string OpenGenericName,
    string HintName,
    EquatableArray<SerializableMemberModel> Members,
    EquatableArray<DiagnosticInfo> Diagnostics);
