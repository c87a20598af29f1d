using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;
using GenCluster.CodeGen.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GenCluster.CodeGen.Serializers;

/// <summary>Turns a [GenerateSerializer] type into a <see cref="SerializableTypeModel"/>, checking that it can travel.</summary>
internal static class SerializableTypeParser
{
    public const string AttributeMetadataName = "GenCluster.Runtime.GenerateSerializerAttribute";

    public static SerializableTypeModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol)
        {
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        var diagnostics = new List<DiagnosticInfo>();
        CheckTypeShape(symbol, diagnostics);

        var members = new List<SerializableMemberModel>();
        if (symbol.TypeKind != TypeKind.Enum && diagnostics.Count == 0)
        {
            members = new MemberCollector(symbol, compilation, diagnostics, cancellationToken).Collect();
        }

        return new SerializableTypeModel(
            TypeNames.ForCode(symbol),
            symbol.Name,
            symbol.TypeKind == TypeKind.Enum,
            symbol.EnumUnderlyingType?.ToDisplayString(),
            symbol.IsValueType,
            TypeNames.GeneratedNamespace(symbol),
            TypeNames.GeneratedBaseName(symbol) + "Serializer",
            symbol.TypeParameters.Select(p => p.Name).ToEquatableArray(),
            symbol.TypeParameters.Select(ConstraintClause).Where(c => c is not null).Select(c => c!).ToEquatableArray(),
            symbol.IsGenericType ? OpenGenericName(symbol) : string.Empty,
            TypeNames.HintName(symbol, "Serializer"),
            members.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    private static void CheckTypeShape(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        if (!KnownSymbols.IsAccessibleFromAssembly(symbol))
        {
            problem = "generated code cannot see it: make it public or internal, and not nested in a private or protected type";
        }
        else if (symbol.IsStatic)
        {
            problem = "it is static";
        }
        else if (symbol.IsAbstract && symbol.TypeKind != TypeKind.Enum)
        {
            problem = "it is abstract, so it cannot be constructed; mark the concrete types instead (serializers are chosen by static type)";
        }
        else if (symbol.IsRefLikeType)
        {
            problem = "ref structs cannot be type arguments, so no serializer can exist for them";
        }
        else
        {
            for (var container = symbol.ContainingType; container is not null; container = container.ContainingType)
            {
                if (container.IsGenericType)
                {
                    problem = $"it is nested in the generic type {container.Name}";
                    break;
                }
            }
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.UnsupportedSerializableShape, symbol, symbol.Name, problem));
        }
    }

    /// <summary><c>global::Ns.Envelope&lt;&gt;</c>, as <c>typeof</c> names an open generic type.</summary>
    private static string OpenGenericName(INamedTypeSymbol symbol) => TypeNames.ForCode(symbol.ConstructUnboundGenericType());

    private static string? ConstraintClause(ITypeParameterSymbol parameter)
    {
        var parts = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }

        if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }

        if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(parameter.ConstraintTypes.Select(TypeNames.ForCode));
        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
        {
            parts.Add("new()");
        }

        return parts.Count == 0 ? null : $"where {parameter.Name} : {string.Join(", ", parts)}";
    }

    /// <summary>Finds the members that travel and how each is read back into a new instance.</summary>
    private sealed class MemberCollector
    {
        private readonly INamedTypeSymbol _type;
        private readonly Compilation _compilation;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly CancellationToken _cancellationToken;
        private readonly List<ISymbol> _dataMembers = new();

        public MemberCollector(INamedTypeSymbol type, Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            _type = type;
            _compilation = compilation;
            _diagnostics = diagnostics;
            _cancellationToken = cancellationToken;
        }

        public List<SerializableMemberModel> Collect()
        {
            CollectDataMembers();
            var members = new List<SerializableMemberModel>();
            var covered = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var constructor = ChooseConstructor();
            if (constructor is null)
            {
                Report(_type, "it has no constructor to call: add an accessible parameterless constructor, or put [Id] on the parameters of one constructor");
                return members;
            }

            foreach (var parameter in constructor.Parameters)
            {
                var member = AddConstructorParameter(parameter, members);
                if (member is not null)
                {
                    covered.Add(member);
                }
            }

            foreach (var member in _dataMembers)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!covered.Contains(member) && KnownSymbols.GetId(member) is { } id)
                {
                    AddMember(member, id, members);
                }
            }

            ReportMembersWithoutId(covered);
            ReportDuplicateIds(members);
            return members;
        }

        /// <summary>Instance fields and properties of the type and its base classes, most derived first, overrides once.</summary>
        private void CollectDataMembers()
        {
            var seenNames = new HashSet<string>(StringComparer.Ordinal);
            for (var current = _type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    bool isData = member switch
                    {
                        IFieldSymbol field => !field.IsStatic && !field.IsConst && !field.IsImplicitlyDeclared,
                        IPropertySymbol property => !property.IsStatic && !property.IsIndexer,
                        _ => false,
                    };
                    if (isData && seenNames.Add(member.Name))
                    {
                        _dataMembers.Add(member);
                    }
                }
            }
        }

        private IMethodSymbol? ChooseConstructor()
        {
            var candidates = _type.InstanceConstructors
                .Where(c => !IsCopyConstructor(c) && _compilation.IsSymbolAccessibleWithin(c, _compilation.Assembly))
                .ToList();

            var withIds = candidates.Where(c => c.Parameters.Any(p => KnownSymbols.GetId(p) is not null)).ToList();
            if (withIds.Count > 1)
            {
                Report(_type, "several constructors have [Id] parameters; keep them on one");
                return withIds[0];
            }

            if (withIds.Count == 1)
            {
                return withIds[0];
            }

            var parameterless = candidates.FirstOrDefault(c => c.Parameters.Length == 0);
            if (parameterless is not null)
            {
                return parameterless;
            }

            // Positional records and primary constructors whose properties carry the ids ([property: Id(n)]), or lack
            // them (reported per parameter, which says more than "no constructor").
            return candidates.Count == 1 ? candidates[0] : null;
        }

        private bool IsCopyConstructor(IMethodSymbol constructor) =>
            _type.IsRecord
            && constructor.Parameters.Length == 1
            && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, _type);

        private ISymbol? AddConstructorParameter(IParameterSymbol parameter, List<SerializableMemberModel> members)
        {
            var source = FindMemberFor(parameter);
            uint? id = KnownSymbols.GetId(parameter) ?? (source is null ? null : KnownSymbols.GetId(source));
            if (id is null)
            {
                if (!parameter.HasExplicitDefaultValue)
                {
                    _diagnostics.Add(DiagnosticInfo.Create(
                        GenClusterDiagnostics.MemberWithoutId,
                        parameter,
                        $"Constructor parameter '{parameter.Name}'",
                        _type.Name));
                }

                return source;
            }

            if (source is null)
            {
                Report(parameter, $"constructor parameter '{parameter.Name}' has [Id] but no readable property or field of the same name to take its value from when serializing");
                return null;
            }

            if (!IsReadable(source))
            {
                return source;
            }

            members.Add(new SerializableMemberModel(
                id.Value,
                source.Name,
                TypeNames.ForCode(parameter.Type),
                MemberWrite.ConstructorArgument,
                parameter.Name,
                InitialValue(parameter),
                TypeNames.ForCode(source.ContainingType)));
            return source;
        }

        /// <summary>The property or field a constructor parameter initializes: same name (any case), same type.</summary>
        private ISymbol? FindMemberFor(IParameterSymbol parameter)
        {
            ISymbol? caseInsensitive = null;
            foreach (var member in _dataMembers)
            {
                var type = member is IPropertySymbol property ? property.Type : ((IFieldSymbol)member).Type;
                if (!SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.None), parameter.Type.WithNullableAnnotation(NullableAnnotation.None)))
                {
                    continue;
                }

                if (member.Name == parameter.Name)
                {
                    return member;
                }

                if (string.Equals(member.Name.TrimStart('_'), parameter.Name, StringComparison.OrdinalIgnoreCase))
                {
                    caseInsensitive ??= member;
                }
            }

            return caseInsensitive;
        }

        private void AddMember(ISymbol member, uint id, List<SerializableMemberModel> members)
        {
            if (!IsReadable(member))
            {
                return;
            }

            MemberWrite write;
            ITypeSymbol type;
            if (member is IPropertySymbol property)
            {
                type = property.Type;
                if (property.SetMethod is null)
                {
                    Report(member, $"'{member.Name}' has [Id] but no setter, init accessor or constructor parameter to restore it");
                    return;
                }

                write = property.IsRequired ? MemberWrite.ObjectInitializer
                    : property.SetMethod.IsInitOnly || !_compilation.IsSymbolAccessibleWithin(property.SetMethod, _compilation.Assembly) ? MemberWrite.SetterAccessor
                    : MemberWrite.Assignment;
            }
            else
            {
                var field = (IFieldSymbol)member;
                type = field.Type;
                if (field.IsReadOnly)
                {
                    Report(member, $"'{member.Name}' is a readonly field with [Id] but no constructor parameter to restore it");
                    return;
                }

                write = field.IsRequired ? MemberWrite.ObjectInitializer : MemberWrite.Assignment;
            }

            if (type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                Report(member, $"'{member.Name}' has type {type.ToDisplayString()}, which cannot be serialized");
                return;
            }

            members.Add(new SerializableMemberModel(id, member.Name, TypeNames.ForCode(type), write, null, "default!", TypeNames.ForCode(member.ContainingType)));
        }

        private bool IsReadable(ISymbol member)
        {
            var getter = member is IPropertySymbol property ? property.GetMethod : member;
            if (getter is null || !_compilation.IsSymbolAccessibleWithin(getter, _compilation.Assembly))
            {
                Report(member, $"'{member.Name}' has [Id] but generated code cannot read it; make it (or its getter) internal or public");
                return false;
            }

            return true;
        }

        /// <summary>Fields and auto-properties declared by the type hold state; one without an [Id] would silently not travel.</summary>
        private void ReportMembersWithoutId(HashSet<ISymbol> covered)
        {
            foreach (var member in _type.GetMembers())
            {
                if (covered.Contains(member) || KnownSymbols.GetId(member) is not null)
                {
                    continue;
                }

                IFieldSymbol? storage = member switch
                {
                    IFieldSymbol { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false } field => field,
                    IPropertySymbol { IsStatic: false, IsIndexer: false } property => BackingField(property),
                    _ => null,
                };
                if (storage is not null && !KnownSymbols.HasAttribute(storage, "NonSerializedAttribute", "System"))
                {
                    string kind = member is IFieldSymbol ? "Field" : "Property";
                    _diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.MemberWithoutId, member, $"{kind} '{member.Name}'", _type.Name));
                }
            }
        }

        private IFieldSymbol? BackingField(IPropertySymbol property) =>
            _type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

        private void ReportDuplicateIds(List<SerializableMemberModel> members)
        {
            var seen = new Dictionary<uint, SerializableMemberModel>();
            foreach (var member in members)
            {
                if (seen.TryGetValue(member.Id, out var first))
                {
                    var symbol = _dataMembers.FirstOrDefault(m => m.Name == member.Name) ?? (ISymbol)_type;
                    _diagnostics.Add(DiagnosticInfo.Create(
                        GenClusterDiagnostics.DuplicateMemberId,
                        symbol,
                        first.Name,
                        member.Name,
                        _type.Name,
                        member.Id.ToString(CultureInfo.InvariantCulture)));
                }
                else
                {
                    seen.Add(member.Id, member);
                }
            }
        }

        private void Report(ISymbol symbol, string problem) =>
            _diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.UnsupportedSerializableShape, symbol, _type.Name, problem));

        /// <summary>What a constructor argument is when its id is missing from the input: the parameter's default.</summary>
        private static string InitialValue(IParameterSymbol parameter)
        {
            if (!parameter.HasExplicitDefaultValue || parameter.ExplicitDefaultValue is null)
            {
                return "default!";
            }

            string type = TypeNames.ForCode(parameter.Type);
            string literal = parameter.ExplicitDefaultValue switch
            {
                float f when float.IsNaN(f) => "float.NaN",
                float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
                float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
                double d when double.IsNaN(d) => "double.NaN",
                double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
                double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
                float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
                uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
                var value => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
            };
            return $"({type})({literal})";
        }
    }
}
