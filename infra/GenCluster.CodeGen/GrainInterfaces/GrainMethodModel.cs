using GenCluster.CodeGen.Collections;

namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>A grain method as the proxy and the invoker need it.</summary>
/// <param name="Name">The method name.</param>
/// <param name="FieldName">Name of its <c>GrainMethod</c> field in the generated methods class (unique within it).</param>
/// <param name="DisplayName"><c>IInterface.Method</c>, for errors, logs and traces.</param>
/// <param name="DeclaringInterface">The interface that declares it, as generated code spells it (for explicit implementation).</param>
/// <param name="InterfaceId">The stable id of the declaring interface.</param>
/// <param name="MethodId">The stable id of the method within its interface.</param>
/// <param name="ReturnType">The declared return type, as generated code spells it.</param>
/// <param name="Kind">Which shape of result it has.</param>
/// <param name="ResultType">T of Task&lt;T&gt;, ValueTask&lt;T&gt;, IAsyncEnumerable&lt;T&gt;; null otherwise.</param>
/// <param name="AlwaysInterleave">Marked [AlwaysInterleave].</param>
/// <param name="OneWay">Marked [OneWay].</param>
/// <param name="ResultByReference">Marked [ResultByReference]: large arrays of the result are sent without a copy.</param>
/// <param name="IsInherited">Declared by a base grain interface: the proxy implements it, that interface's invoker dispatches it.</param>
/// <param name="Parameters">Parameters in declaration order.</param>
internal sealed record GrainMethodModel(
    string Name,
    string FieldName,
    string DisplayName,
    string DeclaringInterface,
    uint InterfaceId,
    uint MethodId,
    string ReturnType,
    ReturnKind Kind,
    string? ResultType,
    bool AlwaysInterleave,
    bool OneWay,
    bool ResultByReference,
    bool IsInherited,
    EquatableArray<GrainParameterModel> Parameters)
{
    /// <summary>The parameters that travel (all but the cancellation token).</summary>
    public int SerializedParameterCount
    {
        get
        {
            int count = 0;
            foreach (var parameter in Parameters)
            {
                count += parameter.IsCallerOnly ? 0 : 1;
            }

            return count;
        }
    }
}
