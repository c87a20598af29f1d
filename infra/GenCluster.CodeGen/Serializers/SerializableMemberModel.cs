namespace GenCluster.CodeGen.Serializers;

/// <summary>A member of a [GenerateSerializer] type that travels as one map entry.</summary>
/// <param name="Id">Its [Id]: the map key.</param>
/// <param name="Name">The property or field it is read from (and, unless constructed, written to).</param>
/// <param name="Type">Its type, as generated code spells it.</param>
/// <param name="Write">How a read value gets into the instance.</param>
/// <param name="ConstructorParameter">The constructor parameter it is passed as, for <see cref="MemberWrite.ConstructorArgument"/>.</param>
/// <param name="InitialValue">The value when its id is missing: the parameter's default, or <c>default!</c>.</param>
/// <param name="DeclaringType">The type declaring the setter, as generated code spells it (target of a setter accessor).</param>
internal sealed record SerializableMemberModel(
    uint Id,
    string Name,
    string Type,
    MemberWrite Write,
    string? ConstructorParameter,
    string InitialValue,
    string DeclaringType);
