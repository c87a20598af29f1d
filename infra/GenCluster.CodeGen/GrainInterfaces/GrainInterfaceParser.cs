using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GenCluster.CodeGen.Collections;
using GenCluster.CodeGen.Diagnostics;
using GenCluster.CodeGen.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>Turns an interface declaration into a <see cref="GrainInterfaceModel"/> when it is a grain interface.</summary>
internal static class GrainInterfaceParser
{
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node is InterfaceDeclarationSyntax;

    public static GrainInterfaceModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (InterfaceDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol
            || !KnownSymbols.IsGrainInterface(symbol)
            || !IsFirstDeclaration(symbol, declaration, cancellationToken))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        string idName = KnownSymbols.GetAlias(symbol) ?? TypeNames.MetadataFullName(symbol);
        uint interfaceId = StableId.Fnv1a(idName);
        CheckInterfaceShape(symbol, diagnostics);

        var methods = new List<GrainMethodModel>();
        var methodSymbols = new List<IMethodSymbol>();
        foreach (var member in symbol.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } method:
                    methods.Add(ParseMethod(symbol, interfaceId, method, isInherited: false, diagnostics));
                    methodSymbols.Add(method);
                    break;
                case IPropertySymbol { IsStatic: false, IsAbstract: true }:
                case IEventSymbol { IsStatic: false, IsAbstract: true }:
                    diagnostics.Add(DiagnosticInfo.Create(
                        GenClusterDiagnostics.UnsupportedGrainInterface,
                        member,
                        symbol.Name,
                        $"'{member.Name}' is a {member.Kind.ToString().ToLowerInvariant()}; grain interfaces have methods only"));
                    break;
            }
        }

        ReportDuplicateMethodIds(symbol, methods, methodSymbols, diagnostics);
        AddInheritedMethods(symbol, methods, diagnostics);

        return new GrainInterfaceModel(
            TypeNames.ForCode(symbol),
            symbol.Name,
            idName,
            interfaceId,
            TypeNames.GeneratedNamespace(symbol),
            TypeNames.GeneratedBaseName(symbol),
            TypeNames.HintName(symbol, "GrainInterface"),
            LocationInfo.From(symbol),
            AssignFieldNames(methods).ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }

    private static bool IsFirstDeclaration(INamedTypeSymbol symbol, SyntaxNode declaration, CancellationToken cancellationToken) =>
        symbol.DeclaringSyntaxReferences.Length <= 1 || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) == declaration;

    private static void CheckInterfaceShape(INamedTypeSymbol symbol, List<DiagnosticInfo> diagnostics)
    {
        if (symbol.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.UnsupportedGrainInterface, symbol, symbol.Name, "generic grain interfaces are not supported"));
        }

        if (!KnownSymbols.IsAccessibleFromAssembly(symbol))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                GenClusterDiagnostics.UnsupportedGrainInterface,
                symbol,
                symbol.Name,
                "generated code cannot implement it: make it public or internal, and not nested in a private or protected type"));
        }

        foreach (var baseInterface in symbol.AllInterfaces)
        {
            if (KnownSymbols.IsGrainInterface(baseInterface))
            {
                if (baseInterface.IsGenericType)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        GenClusterDiagnostics.UnsupportedGrainInterface,
                        symbol,
                        symbol.Name,
                        $"it extends the generic grain interface {baseInterface.ToDisplayString()}, and generic grain interfaces are not supported"));
                }
            }
            else if (!KnownSymbols.IsGrainMarker(baseInterface) && baseInterface.GetMembers().Any(m => m.IsAbstract && !m.IsStatic))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.UnsupportedGrainInterface,
                    symbol,
                    symbol.Name,
                    $"it extends {baseInterface.ToDisplayString()}, which is not a grain interface and has members a grain reference cannot implement"));
            }
        }
    }

    private static GrainMethodModel ParseMethod(
        INamedTypeSymbol declaringInterface,
        uint interfaceId,
        IMethodSymbol method,
        bool isInherited,
        List<DiagnosticInfo> diagnostics)
    {
        string displayName = declaringInterface.Name + "." + method.Name;
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.GenericMethod, method, displayName));
        }

        var (kind, resultType) = ClassifyReturnType(method.ReturnType);
        if (kind is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.UnsupportedReturnType, method, displayName, method.ReturnType.ToDisplayString()));
        }

        bool oneWay = KnownSymbols.HasAttribute(method, "OneWayAttribute");
        if (oneWay && kind is not (ReturnKind.Task or ReturnKind.ValueTask or null))
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.InvalidOneWay, method, displayName, method.ReturnType.ToDisplayString()));
        }

        var parameters = new List<GrainParameterModel>();
        int cancellationTokens = 0, destinations = 0;
        foreach (var parameter in method.Parameters)
        {
            bool isToken = KnownSymbols.IsCancellationToken(parameter.Type);
            var destinationElement = KnownSymbols.TensorDestinationElement(parameter.Type);
            if (destinationElement is not null)
            {
                destinations++;
                CheckTensorDestination(method, displayName, kind, oneWay, destinationElement, destinations, diagnostics);
            }

            cancellationTokens += isToken ? 1 : 0;
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.ByReferenceParameter,
                    parameter,
                    parameter.Name,
                    displayName,
                    parameter.RefKind.ToString().ToLowerInvariant()));
            }

            if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.UnsupportedParameterType,
                    parameter,
                    parameter.Name,
                    displayName,
                    parameter.Type.ToDisplayString()));
            }

            parameters.Add(new GrainParameterModel(TypeNames.ForCode(parameter.Type), isToken, destinationElement is null ? null : TypeNames.ForCode(destinationElement)));
        }

        if (cancellationTokens > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.SeveralCancellationTokens, method, displayName));
        }

        string idName = KnownSymbols.GetAlias(method)
            ?? method.Name + "(" + string.Join(",", method.Parameters.Select(p => TypeNames.ForSignature(p.Type))) + ")";

        return new GrainMethodModel(
            method.Name,
            FieldName: string.Empty,
            displayName,
            TypeNames.ForCode(declaringInterface),
            interfaceId,
            StableId.Fnv1a(idName),
            TypeNames.ForCode(method.ReturnType),
            kind ?? ReturnKind.Task,
            resultType,
            KnownSymbols.HasAttribute(method, "AlwaysInterleaveAttribute"),
            oneWay,
            KnownSymbols.HasAttribute(method, "ResultByReferenceAttribute"),
            isInherited,
            parameters.ToEquatableArray());
    }

    // The proxy decodes the result into the destination, so the result must be one tensor view of the same elements.
    private static void CheckTensorDestination(
        IMethodSymbol method,
        string displayName,
        ReturnKind? kind,
        bool oneWay,
        ITypeSymbol element,
        int destinations,
        List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        var result = method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } generic ? generic.TypeArguments[0] : null;
        var resultElement = result is null ? null : KnownSymbols.TensorViewElement(result);
        if (destinations > 1)
        {
            problem = "it has more than one TensorDestination parameter; a call has one result";
        }
        else if (oneWay || kind is not (ReturnKind.TaskOfResult or ReturnKind.ValueTaskOfResult))
        {
            problem = "a TensorDestination parameter needs a method returning Task<TensorView<T>> or ValueTask<TensorView<T>>";
        }
        else if (resultElement is null || !SymbolEqualityComparer.Default.Equals(resultElement, element))
        {
            problem = $"its TensorDestination<{element.ToDisplayString()}> does not match its result {method.ReturnType.ToDisplayString()}; it must return TensorView<{element.ToDisplayString()}>";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(GenClusterDiagnostics.InvalidTensorDestination, method, displayName, problem));
        }
    }

    private static (ReturnKind? Kind, string? ResultType) ClassifyReturnType(ITypeSymbol returnType)
    {
        const string TasksNamespace = "System.Threading.Tasks";
        if (KnownSymbols.Is(returnType, TasksNamespace, "Task"))
        {
            return (ReturnKind.Task, null);
        }

        if (KnownSymbols.Is(returnType, TasksNamespace, "ValueTask"))
        {
            return (ReturnKind.ValueTask, null);
        }

        if (returnType is INamedTypeSymbol { TypeArguments.Length: 1 } generic)
        {
            var result = generic.TypeArguments[0];
            if (KnownSymbols.Is(returnType, TasksNamespace, "Task", 1))
            {
                return (ReturnKind.TaskOfResult, TypeNames.ForCode(result));
            }

            if (KnownSymbols.Is(returnType, TasksNamespace, "ValueTask", 1))
            {
                return (ReturnKind.ValueTaskOfResult, TypeNames.ForCode(result));
            }

            if (KnownSymbols.Is(returnType, "System.Collections.Generic", "IAsyncEnumerable", 1))
            {
                return (ReturnKind.AsyncEnumerable, TypeNames.ForCode(result));
            }
        }

        return (null, null);
    }

    private static void ReportDuplicateMethodIds(
        INamedTypeSymbol symbol,
        List<GrainMethodModel> methods,
        List<IMethodSymbol> methodSymbols,
        List<DiagnosticInfo> diagnostics)
    {
        var seen = new Dictionary<uint, GrainMethodModel>();
        for (int i = 0; i < methods.Count; i++)
        {
            var method = methods[i];
            if (seen.TryGetValue(method.MethodId, out var first))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.DuplicateMethodId,
                    methodSymbols[i],
                    first.Name,
                    method.Name,
                    symbol.Name,
                    method.MethodId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                seen.Add(method.MethodId, method);
            }
        }
    }

    /// <summary>
    /// The proxy must implement methods of base grain interfaces too. They keep the id of the interface that declares
    /// them (so a call means the same whichever reference type it was made through) and that interface's invoker
    /// dispatches them. Problems in a base declared in this compilation are reported there, once.
    /// </summary>
    private static void AddInheritedMethods(INamedTypeSymbol symbol, List<GrainMethodModel> methods, List<DiagnosticInfo> diagnostics)
    {
        foreach (var baseInterface in symbol.AllInterfaces)
        {
            if (!KnownSymbols.IsGrainInterface(baseInterface))
            {
                continue;
            }

            bool reportedElsewhere = baseInterface.Locations.Any(l => l.IsInSource);
            var baseDiagnostics = reportedElsewhere ? new List<DiagnosticInfo>() : diagnostics;
            uint baseId = StableId.Fnv1a(KnownSymbols.GetAlias(baseInterface) ?? TypeNames.MetadataFullName(baseInterface));
            foreach (var member in baseInterface.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } method)
                {
                    methods.Add(ParseMethod(baseInterface, baseId, method, isInherited: true, baseDiagnostics));
                }
            }

            if (reportedElsewhere && baseDiagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
            {
                // The base reports its own errors; generating this proxy would only add follow-on compile errors.
                diagnostics.Add(DiagnosticInfo.Create(
                    GenClusterDiagnostics.UnsupportedGrainInterface,
                    symbol,
                    symbol.Name,
                    $"its base grain interface {baseInterface.Name} has errors"));
            }
        }
    }

    private static IEnumerable<GrainMethodModel> AssignFieldNames(List<GrainMethodModel> methods)
    {
        var used = new HashSet<string> { "InterfaceId", "Register" };
        foreach (var method in methods)
        {
            string baseName = method.IsInherited ? method.DisplayName.Replace('.', '_') : method.Name;
            string name = baseName;
            for (int suffix = 2; !used.Add(name); suffix++)
            {
                name = baseName + "_" + suffix;
            }

            yield return method with { FieldName = name };
        }
    }
}
