namespace GenCluster.CodeGen.Serializers;

/// <summary>How a deserialized member value gets into the new instance.</summary>
internal enum MemberWrite
{
    /// <summary>Passed to the constructor (positional records, primary constructors, [Id] parameters).</summary>
    ConstructorArgument,

    /// <summary>Set in the object initializer: <c>required</c> members must be, present on the wire or not.</summary>
    ObjectInitializer,

    /// <summary>Assigned after construction when present, so a missing id keeps the constructor's value.</summary>
    Assignment,

    /// <summary>
    /// An init-only or non-public setter, called through an <c>[UnsafeAccessor]</c> after construction when present,
    /// so a missing id keeps the initializer's value (an object initializer would have to overwrite it).
    /// </summary>
    SetterAccessor,
}
