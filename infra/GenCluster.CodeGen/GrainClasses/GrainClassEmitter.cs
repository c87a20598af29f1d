using System.Linq;
using GenCluster.CodeGen.Text;
using static GenCluster.CodeGen.Text.GeneratedNames;

namespace GenCluster.CodeGen.GrainClasses;

/// <summary>Writes the registration of one grain class in the runtime's registry, run when its assembly loads.</summary>
internal static class GrainClassEmitter
{
    public static string Emit(GrainClassModel model)
    {
        var source = new SourceWriter().FileHeader();
        source.Line($"namespace {model.GeneratedNamespace};");
        source.Line();
        source.Line($"/// <summary>Registers grain class <c>{model.DisplayName}</c> as grain type <c>{Xml(model.GrainType)}</c>.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal static class {model.GeneratedBaseName}Registration");
        source.Open();
        source.Line(ModuleInitializerAttribute);
        source.Line("internal static void Register() =>");
        source.Line($"    {GrainCodeRegistry}.RegisterGrainClass(new {GrainClassInfo}(");
        source.Line($"        typeof({model.FullyQualifiedName}),");
        source.Line($"        {Literal(model.GrainType)},");
        source.Line($"        new global::System.Type[] {{ {string.Join(", ", model.Interfaces.Select(i => $"typeof({i})"))} }},");
        source.Line($"        {PlacementKind}.{model.Placement},");
        source.Line($"        Reentrant: {(model.Reentrant ? "true" : "false")}));");
        source.Close();
        return source.ToString();
    }
}
