namespace GenCluster.CodeGen.GrainInterfaces;

/// <summary>The shapes a grain method may return; each maps to one <c>IGrainCallInvoker</c> call.</summary>
internal enum ReturnKind
{
    /// <summary><c>Task</c>: no result.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfResult,

    /// <summary><c>ValueTask</c>: no result.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfResult,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: a stream of items.</summary>
    AsyncEnumerable,
}
