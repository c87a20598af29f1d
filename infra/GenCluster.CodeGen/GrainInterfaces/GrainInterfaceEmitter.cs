using System.Collections.Generic;
using System.Linq;
using GenCluster.CodeGen.Symbols;
using GenCluster.CodeGen.Text;
using static GenCluster.CodeGen.Text.GeneratedNames;

namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>
/// Writes, for one grain interface: its <c>GrainMethod</c> descriptors and registration, a proxy deriving from
/// <c>GrainReference</c>, and an invoker that dispatches calls on a grain instance by method id.
/// </summary>
internal static class GrainInterfaceEmitter
{
    public static string Emit(GrainInterfaceModel model)
    {
        var source = new SourceWriter().FileHeader();
        source.Line($"namespace {model.GeneratedNamespace};");
        source.Line();
        EmitMethods(source, model);
        source.Line();
        EmitProxy(source, model);
        source.Line();
        EmitInvoker(source, model);
        return source.ToString();
    }

    private static string MethodsClass(GrainInterfaceModel model) => model.GeneratedBaseName + "Methods";

    private static string ProxyClass(GrainInterfaceModel model) => model.GeneratedBaseName + "Proxy";

    private static string InvokerClass(GrainInterfaceModel model) => model.GeneratedBaseName + "Invoker";

    private static void EmitMethods(SourceWriter source, GrainInterfaceModel model)
    {
        source.Line($"/// <summary>Call descriptors of <c>{model.DisplayName}</c>, registered when the assembly loads.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal static class {MethodsClass(model)}");
        source.Open();
        source.Line($"/// <summary>FNV-1a of <c>{Xml(model.IdName)}</c>.</summary>");
        source.Line($"public const uint InterfaceId = {Hex(model.InterfaceId)};");
        foreach (var method in model.Methods)
        {
            source.Line();
            source.Line(
                $"public static readonly {GrainMethod} {method.FieldName} = new({Hex(method.InterfaceId)}, {Hex(method.MethodId)}, {Literal(method.DisplayName)}, " +
                $"AlwaysInterleave: {Bool(method.AlwaysInterleave)}, OneWay: {Bool(method.OneWay)}, Streaming: {Bool(method.Kind == ReturnKind.AsyncEnumerable)});");
        }

        source.Line();
        source.Line(ModuleInitializerAttribute);
        source.Line("internal static void Register() =>");
        source.Line($"    {GrainCodeRegistry}.RegisterInterface(new {GrainInterfaceInfo}(");
        source.Line($"        typeof({model.FullyQualifiedName}),");
        source.Line("        InterfaceId,");
        source.Line($"        static (grainId, invoker) => new {ProxyClass(model)}(grainId, invoker),");
        source.Line($"        new {InvokerClass(model)}()));");
        source.Close();
    }

    private static void EmitProxy(SourceWriter source, GrainInterfaceModel model)
    {
        source.Line($"/// <summary>A reference to a grain behind <c>{model.DisplayName}</c>: serializes each call's arguments and hands it to the runtime.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal sealed class {ProxyClass(model)} : {GrainReference}, {model.FullyQualifiedName}");
        source.Open();
        source.Line($"public {ProxyClass(model)}({GrainId} grainId, {GrainCallInvoker} invoker)");
        source.Line("    : base(grainId, invoker)");
        source.Open();
        source.Close();

        foreach (var method in model.Methods)
        {
            source.Line();
            EmitProxyMethod(source, model, method);
        }

        source.Close();
    }

    private static void EmitProxyMethod(SourceWriter source, GrainInterfaceModel model, GrainMethodModel method)
    {
        var parameters = method.Parameters.Select((p, i) => $"{p.Type} arg{i}");
        source.Line($"{method.ReturnType} {method.DeclaringInterface}.{TypeNames.Identifier(method.Name)}({string.Join(", ", parameters)})");
        source.Open();

        var serialized = SerializedArguments(method);
        string arguments = serialized.Count == 0 ? $"{ArgumentArray}.Empty" : $"Write{method.FieldName}({string.Join(", ", serialized.Select(a => a.Name))})";
        int tokenIndex = method.Parameters.ToList().FindIndex(p => p.IsCancellationToken);
        string token = tokenIndex >= 0 ? $"arg{tokenIndex}" : "default";
        string descriptor = $"{MethodsClass(model)}.{method.FieldName}";
        int destinationIndex = method.Parameters.ToList().FindIndex(p => p.DestinationElementType is not null);
        string? into = destinationIndex < 0 ? null
            : $"Invoker.InvokeIntoAsync<{method.Parameters[destinationIndex].DestinationElementType}>(this, {descriptor}, {arguments}, arg{destinationIndex}.Memory, {token})";
        string call = method.Kind switch
        {
            ReturnKind.TaskOfResult when into is not null => $"arg{destinationIndex}.IsDefault ? Invoker.InvokeAsync<{method.ResultType}>(this, {descriptor}, {arguments}, {token}) : {into}",
            ReturnKind.ValueTaskOfResult when into is not null => $"new {ValueTask}<{method.ResultType}>(arg{destinationIndex}.IsDefault ? Invoker.InvokeAsync<{method.ResultType}>(this, {descriptor}, {arguments}, {token}) : {into})",
            ReturnKind.Task => $"Invoker.InvokeAsync(this, {descriptor}, {arguments}, {token})",
            ReturnKind.ValueTask => $"new {ValueTask}(Invoker.InvokeAsync(this, {descriptor}, {arguments}, {token}))",
            ReturnKind.TaskOfResult => $"Invoker.InvokeAsync<{method.ResultType}>(this, {descriptor}, {arguments}, {token})",
            ReturnKind.ValueTaskOfResult => $"new {ValueTask}<{method.ResultType}>(Invoker.InvokeAsync<{method.ResultType}>(this, {descriptor}, {arguments}, {token}))",
            _ => $"Invoker.InvokeStreamAsync<{method.ResultType}>(this, {descriptor}, {arguments}, {token})",
        };
        source.Line($"return {call};");
        source.Close();

        if (serialized.Count == 0)
        {
            return;
        }

        // The arguments travel as one MessagePack array, written into a reused per-thread buffer and copied out
        // once at their exact size (one allocation per call), or, when large, handed over without a copy. Large tensor
        // arrays are kept by reference (the caller leaves them unchanged until the call completes, see IGrain) and
        // sent from the caller's array.
        source.Line();
        source.Line($"private static {ReadOnlyMemoryOfBytes} Write{method.FieldName}({string.Join(", ", serialized.Select(a => $"{a.Type} {a.Name}"))})");
        source.Open();
        source.Line($"using var buffer = {SerializationBuffer}.Rent(keepReferences: true);");
        source.Line($"var writer = new {MessagePackWriter}(buffer);");
        source.Line($"writer.WriteArrayHeader({serialized.Count});");
        foreach (var argument in serialized)
        {
            source.Line($"{SerializerOf(argument.Type)}.Serialize(ref writer, {argument.Name});");
        }

        source.Line("return buffer.TakeWritten();");
        source.Close();
    }

    private static void EmitInvoker(SourceWriter source, GrainInterfaceModel model)
    {
        var own = model.Methods.Where(m => !m.IsInherited).ToList();
        source.Line($"/// <summary>Dispatches calls to <c>{model.DisplayName}</c> on a grain instance: deserializes the arguments, calls the method, serializes the result.</summary>");
        source.Line(GeneratedCodeAttribute);
        source.Line($"internal sealed class {InvokerClass(model)} : {GrainMethodInvoker}");
        source.Open();
        source.Line($"public global::System.Type InterfaceType => typeof({model.FullyQualifiedName});");
        source.Line();
        source.Line($"public uint InterfaceId => {MethodsClass(model)}.InterfaceId;");
        source.Line();
        source.Line($"public {GrainMethod}? FindMethod(uint methodId) => methodId switch");
        source.Open();
        foreach (var method in own)
        {
            source.Line($"{Hex(method.MethodId)} => {MethodsClass(model)}.{method.FieldName},");
        }

        source.Line("_ => null,");
        source.Close(";");
        source.Line();
        source.Line($"public {ValueTask}<{GrainCallResult}> InvokeAsync(object grain, uint methodId, {ReadOnlyMemoryOfBytes} arguments, {CancellationToken} cancellationToken)");
        source.Open();
        source.Line($"if (grain is not {model.FullyQualifiedName} target)");
        source.Open();
        source.Line($"throw new global::System.ArgumentException(grain is null ? \"no grain instance\" : $\"{{grain.GetType().FullName}} does not implement {model.DisplayName}\", nameof(grain));");
        source.Close();
        source.Line();
        source.Line("switch (methodId)");
        source.Open();
        foreach (var method in own)
        {
            source.Line($"case {Hex(method.MethodId)}:");
            source.Line($"    return Invoke{method.FieldName}(target, arguments, cancellationToken);");
        }

        source.Line("default:");
        source.Line($"    throw new global::System.MissingMethodException($\"grain interface {model.DisplayName} (0x{{InterfaceId:x8}}) has no method with id 0x{{methodId:x8}}; caller and grain were built from different versions of it\");");
        source.Close();
        source.Close();

        foreach (var method in own)
        {
            source.Line();
            EmitInvokeMethod(source, model, method);
            source.Line();
            EmitReadArguments(source, method);
        }

        source.Close();
    }

    private static void EmitInvokeMethod(SourceWriter source, GrainInterfaceModel model, GrainMethodModel method)
    {
        var serialized = SerializedArguments(method);
        // Tensor views among the arguments read the received frame in place under one lease, which ends when the method
        // completes, before the runtime gives the frame back to its pool (see TensorView<T>).
        string read = serialized.Count switch
        {
            0 => $"Read{method.FieldName}(arguments);",
            1 => $"var {serialized[0].Name} = Read{method.FieldName}(arguments, out var views);",
            _ => $"var ({string.Join(", ", serialized.Select(a => a.Name))}) = Read{method.FieldName}(arguments, out var views);",
        };
        bool leased = serialized.Count > 0;
        var callArguments = method.Parameters.Select((p, i) => p.IsCancellationToken ? "cancellationToken" : p.DestinationElementType is not null ? "default" : $"arg{i}");
        string call = $"grain.{TypeNames.Identifier(method.Name)}({string.Join(", ", callArguments)})";
        string signature = $"({model.FullyQualifiedName} grain, {ReadOnlyMemoryOfBytes} arguments, {CancellationToken} cancellationToken)";

        if (method.Kind == ReturnKind.AsyncEnumerable)
        {
            // Not async: the stream is returned at once and its items are serialized as the grain yields them.
            source.Line($"private static {ValueTask}<{GrainCallResult}> Invoke{method.FieldName}{signature}");
            source.Open();
            source.Line("try");
            source.Open();
            source.Line(read);
            if (leased)
            {
                // The frame is given back once the stream is returned, so the views end here, before any item is produced.
                source.Line("global::System.Collections.Generic.IAsyncEnumerable<" + method.ResultType + "> items;");
                source.Line("try");
                source.Open();
                source.Line($"items = {call};");
                source.Close();
                source.Line("finally");
                source.Open();
                source.Line("views?.End();");
                source.Close();
            }
            else
            {
                source.Line($"var items = {call};");
            }

            source.Line($"return new {ValueTask}<{GrainCallResult}>({GrainCallResult}.FromStream({StreamSerialization}.SerializeItems<{method.ResultType}>(items, cancellationToken)));");
            source.Close();
            source.Line("catch (global::System.Exception exception)");
            source.Open();
            source.Line($"return {ValueTask}.FromException<{GrainCallResult}>(exception);");
            source.Close();
            source.Close();
            return;
        }

        source.Line($"private static async {ValueTask}<{GrainCallResult}> Invoke{method.FieldName}{signature}");
        source.Open();
        source.Line(read);
        if (leased)
        {
            source.Line("try");
            source.Open();
        }

        if (method.ResultType is null)
        {
            source.Line($"await {call}.ConfigureAwait(false);");
            source.Line($"return {GrainCallResult}.FromValue({MessagePackSerializer}.Nil);");
        }
        else
        {
            // Serialized before the views end: a result that is (or contains) a received view is copied while valid.
            source.Line($"var result = await {call}.ConfigureAwait(false);");
            string serialize = method.ResultByReference ? "SerializeByReference" : "SerializeToMemory";
            source.Line($"return {GrainCallResult}.FromValue({MessagePackSerializer}.{serialize}<{method.ResultType}>(result));");
        }

        if (leased)
        {
            source.Close();
            source.Line("finally");
            source.Open();
            source.Line("views?.End();");
            source.Close();
        }

        source.Close();
    }

    /// <summary>Synchronous, because the reader is a ref struct and cannot live in an async method.</summary>
    private static void EmitReadArguments(SourceWriter source, GrainMethodModel method)
    {
        var serialized = SerializedArguments(method);
        string returnType = serialized.Count switch
        {
            0 => "void",
            1 => serialized[0].Type,
            _ => "(" + string.Join(", ", serialized.Select(a => a.Type)) + ")",
        };
        if (serialized.Count == 0)
        {
            source.Line($"private static {returnType} Read{method.FieldName}({ReadOnlyMemoryOfBytes} arguments)");
            source.Open();
            source.Line($"var reader = new {MessagePackReader}(arguments);");
            source.Line($"{ArgumentArray}.ReadHeader(ref reader, 0, {Literal(method.DisplayName)});");
            source.Line($"{ArgumentArray}.ReadEnd(ref reader, {Literal(method.DisplayName)});");
            source.Close();
            return;
        }

        source.Line($"private static {returnType} Read{method.FieldName}({ReadOnlyMemoryOfBytes} arguments, out {TensorViewLease}? views)");
        source.Open();
        source.Line("views = null;");
        source.Line($"var scope = {TensorViewScope}.Enter();");
        source.Line("try");
        source.Open();
        source.Line($"var reader = new {MessagePackReader}(arguments);");
        source.Line($"{ArgumentArray}.ReadHeader(ref reader, {serialized.Count}, {Literal(method.DisplayName)});");
        foreach (var argument in serialized)
        {
            source.Line($"var {argument.Name} = {SerializerOf(argument.Type)}.Deserialize(ref reader);");
        }

        source.Line($"{ArgumentArray}.ReadEnd(ref reader, {Literal(method.DisplayName)});");
        if (serialized.Count == 1)
        {
            source.Line($"return {serialized[0].Name};");
        }
        else
        {
            source.Line($"return ({string.Join(", ", serialized.Select(a => a.Name))});");
        }

        source.Close();
        source.Line("finally");
        source.Open();
        source.Line("views = scope.Exit();");
        source.Close();
        source.Close();
    }

    private static List<(string Name, string Type)> SerializedArguments(GrainMethodModel method) =>
        method.Parameters
            .Select((p, i) => (Parameter: p, Name: $"arg{i}"))
            .Where(a => !a.Parameter.IsCallerOnly)
            .Select(a => (a.Name, a.Parameter.Type))
            .ToList();

    private static string Bool(bool value) => value ? "true" : "false";
}
