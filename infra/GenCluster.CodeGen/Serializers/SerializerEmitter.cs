using System.Linq;
using GenCluster.CodeGen.Symbols;
using GenCluster.CodeGen.Text;
using static GenCluster.CodeGen.Text.GeneratedNames;

namespace GenCluster.CodeGen.Serializers;

/// <summary>
/// Writes the MessagePack serializer of one [GenerateSerializer] type and its registration. Objects travel as a map
/// <c>{id: value}</c>: readers skip ids they do not know and keep defaults for ids that are missing, so either side
/// may add members without breaking the other. Enums travel as their underlying integer.
/// </summary>
internal static class SerializerEmitter
{
    public static string Emit(SerializableTypeModel model)
    {
        var source = new SourceWriter().FileHeader();
        source.Line($"namespace {model.GeneratedNamespace};");
        source.Line();
        string typeParameters = model.TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", model.TypeParameters) + ">";
        source.Line($"/// <summary>MessagePack serializer of <c>{model.DisplayName}</c>.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal sealed class {model.SerializerName}{typeParameters} : {MessagePackSerializerInterface}<{model.FullyQualifiedName}>");
        foreach (var clause in model.ConstraintClauses)
        {
            source.Line("    " + clause);
        }

        source.Open();
        if (model.IsEnum)
        {
            EmitEnumBody(source, model);
        }
        else
        {
            EmitSerialize(source, model);
            source.Line();
            EmitDeserialize(source, model);
            EmitSetterAccessors(source, model);
        }

        source.Close();
        source.Line();
        EmitRegistration(source, model);
        return source.ToString();
    }

    private static void EmitEnumBody(SourceWriter source, SerializableTypeModel model)
    {
        string underlying = model.EnumUnderlyingType ?? "int";
        string read = underlying switch
        {
            "sbyte" => "ReadSByte",
            "byte" => "ReadByte",
            "short" => "ReadInt16",
            "ushort" => "ReadUInt16",
            "uint" => "ReadUInt32",
            "long" => "ReadInt64",
            "ulong" => "ReadUInt64",
            _ => "ReadInt32",
        };
        source.Line($"public void Serialize(ref {MessagePackWriter} writer, {model.FullyQualifiedName} value) => writer.Write(({underlying})value);");
        source.Line();
        source.Line($"public {model.FullyQualifiedName} Deserialize(ref {MessagePackReader} reader) => ({model.FullyQualifiedName})reader.{read}();");
    }

    private static void EmitSerialize(SourceWriter source, SerializableTypeModel model)
    {
        source.Line($"public void Serialize(ref {MessagePackWriter} writer, {model.FullyQualifiedName} value)");
        source.Open();
        if (!model.IsValueType)
        {
            source.Line("if (value is null)");
            source.Open();
            source.Line("writer.WriteNil();");
            source.Line("return;");
            source.Close();
            source.Line();
        }

        source.Line($"writer.WriteMapHeader({model.Members.Count});");
        foreach (var member in model.Members)
        {
            source.Line($"writer.Write({member.Id}u);");
            source.Line($"{SerializerOf(member.Type)}.Serialize(ref writer, value.{TypeNames.Identifier(member.Name)});");
        }

        source.Close();
    }

    private static void EmitDeserialize(SourceWriter source, SerializableTypeModel model)
    {
        var members = model.Members.Select((m, i) => (Member: m, Index: i)).ToList();
        source.Line($"public {model.FullyQualifiedName} Deserialize(ref {MessagePackReader} reader)");
        source.Open();
        if (!model.IsValueType)
        {
            source.Line("if (reader.TryReadNil())");
            source.Open();
            source.Line("return null!;");
            source.Close();
            source.Line();
        }

        // Types may refer to themselves (trees, lists): bound the nesting so hostile input fails with a decode error
        // instead of overflowing the stack.
        source.Line($"using var depth = {DeserializationDepth}.Enter(ref reader);");
        foreach (var (member, index) in members)
        {
            source.Line($"{member.Type} m{index} = {member.InitialValue};");
            if (TracksPresence(member))
            {
                source.Line($"bool has{index} = false;");
            }
        }

        source.Line("int count = reader.ReadMapHeader();");
        source.Line("for (int i = 0; i < count; i++)");
        source.Open();
        source.Line("switch (reader.ReadUInt32())");
        source.Open();
        foreach (var (member, index) in members)
        {
            source.Line($"case {member.Id}u:");
            source.Line($"    m{index} = {SerializerOf(member.Type)}.Deserialize(ref reader);");
            if (TracksPresence(member))
            {
                source.Line($"    has{index} = true;");
            }

            source.Line("    break;");
        }

        source.Line("default:");
        source.Line("    // An id from a newer version of the type: skip it.");
        source.Line("    reader.Skip();");
        source.Line("    break;");
        source.Close();
        source.Close();
        source.Line();

        var arguments = members.Where(m => m.Member.Write == MemberWrite.ConstructorArgument)
            .Select(m => $"{TypeNames.Identifier(m.Member.ConstructorParameter!)}: m{m.Index}");
        var initializers = members.Where(m => m.Member.Write == MemberWrite.ObjectInitializer)
            .Select(m => $"{TypeNames.Identifier(m.Member.Name)} = m{m.Index}")
            .ToList();
        string initializer = initializers.Count == 0 ? string.Empty : " { " + string.Join(", ", initializers) + " }";
        source.Line($"var result = new {model.FullyQualifiedName}({string.Join(", ", arguments)}){initializer};");
        foreach (var (member, index) in members)
        {
            if (member.Write == MemberWrite.Assignment)
            {
                source.Line($"if (has{index}) result.{TypeNames.Identifier(member.Name)} = m{index};");
            }
            else if (member.Write == MemberWrite.SetterAccessor)
            {
                source.Line($"if (has{index}) {AccessorName(member)}({(model.IsValueType ? "ref " : string.Empty)}result, m{index});");
            }
        }

        source.Line("return result;");
        source.Close();
    }

    private static void EmitSetterAccessors(SourceWriter source, SerializableTypeModel model)
    {
        foreach (var member in model.Members.Where(m => m.Write == MemberWrite.SetterAccessor))
        {
            // Init-only and non-public setters are called after construction, only for ids present on the wire.
            string target = model.IsValueType ? $"ref {member.DeclaringType}" : member.DeclaringType;
            source.Line();
            source.Line($"[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = \"set_{member.Name}\")]");
            source.Line($"private static extern void {AccessorName(member)}({target} target, {member.Type} value);");
        }
    }

    private static void EmitRegistration(SourceWriter source, SerializableTypeModel model)
    {
        source.Line($"/// <summary>Registers the serializer of <c>{model.DisplayName}</c> when the assembly loads.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal static class {model.SerializerName}Registration");
        source.Open();
        source.Line(ModuleInitializerAttribute);
        source.Line("internal static void Register() =>");
        if (model.TypeParameters.Count == 0)
        {
            source.Line($"    {SerializerRegistry}.Register<{model.FullyQualifiedName}>(new {model.SerializerName}());");
        }
        else
        {
            // Closed over the type arguments at first use, once per closed type.
            string openSerializer = $"{model.SerializerName}<{new string(',', model.TypeParameters.Count - 1)}>";
            source.Line($"    {SerializerRegistry}.RegisterGeneric(");
            source.Line($"        typeof({model.OpenGenericName}),");
            source.Line($"        static type => global::System.Activator.CreateInstance(typeof({openSerializer}).MakeGenericType(type.GetGenericArguments())));");
        }

        source.Close();
    }

    private static bool TracksPresence(SerializableMemberModel member) =>
        member.Write is MemberWrite.Assignment or MemberWrite.SetterAccessor;

    private static string AccessorName(SerializableMemberModel member) => "Set" + member.Name;
}
