namespace GenCluster.CodeGen.Text;

/// <summary>Fully qualified names of runtime types that generated code uses, written once.</summary>
internal static class GeneratedNames
{
    public const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"GenCluster.CodeGen\", \"1.0.0\")]";
    public const string ModuleInitializerAttribute = "[global::System.Runtime.CompilerServices.ModuleInitializer]";

    public const string GrainId = "global::GenCluster.Runtime.GrainId";
    public const string GrainMethod = "global::GenCluster.Runtime.Invocation.GrainMethod";
    public const string GrainReference = "global::GenCluster.Runtime.Invocation.GrainReference";
    public const string GrainCallInvoker = "global::GenCluster.Runtime.Invocation.IGrainCallInvoker";
    public const string GrainMethodInvoker = "global::GenCluster.Runtime.Invocation.IGrainMethodInvoker";
    public const string GrainCallResult = "global::GenCluster.Runtime.Invocation.GrainCallResult";
    public const string GrainCodeRegistry = "global::GenCluster.Runtime.Invocation.GrainCodeRegistry";
    public const string GrainInterfaceInfo = "global::GenCluster.Runtime.Invocation.GrainInterfaceInfo";
    public const string GrainClassInfo = "global::GenCluster.Runtime.Invocation.GrainClassInfo";
    public const string PlacementKind = "global::GenCluster.Runtime.PlacementKind";

    public const string MessagePackWriter = "global::GenCluster.MessagePack.MessagePackWriter";
    public const string MessagePackReader = "global::GenCluster.MessagePack.MessagePackReader";
    public const string MessagePackSerializerInterface = "global::GenCluster.Runtime.Serialization.IMessagePackSerializer";
    public const string MessagePackSerializer = "global::GenCluster.Runtime.Serialization.MessagePackSerializer";
    public const string SerializerRegistry = "global::GenCluster.Runtime.Serialization.SerializerRegistry";
    public const string SerializationBuffer = "global::GenCluster.Runtime.Serialization.SerializationBuffer";
    public const string ArgumentArray = "global::GenCluster.Runtime.Serialization.ArgumentArray";
    public const string StreamSerialization = "global::GenCluster.Runtime.Serialization.StreamSerialization";
    public const string TensorViewScope = "global::GenCluster.Runtime.TensorViewScope";
    public const string TensorViewLease = "global::GenCluster.Runtime.TensorViewLease";
    public const string DeserializationDepth = "global::GenCluster.Runtime.Serialization.DeserializationDepth";

    public const string ReadOnlyMemoryOfBytes = "global::System.ReadOnlyMemory<byte>";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    /// <summary><c>Serializer&lt;T&gt;.Instance</c> for a type as generated code spells it.</summary>
    public static string SerializerOf(string type) => $"global::GenCluster.Runtime.Serialization.Serializer<{type}>.Instance";

    /// <summary>A uint literal in hex, as ids appear in generated code.</summary>
    public static string Hex(uint value) => "0x" + value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + "u";

    /// <summary>Text escaped for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal.</summary>
    public static string Literal(string text) =>
        Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
