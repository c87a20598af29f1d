namespace GenCluster.Runtime.Serialization;

/// <summary>
/// Serializers for primitives, strings, binary, time, Guid, enums, nullables, tuples, collections and tensors
/// (<c>float[]</c>, <c>double[]</c>, <c>long[]</c>), registered on first use. They never replace a serializer
/// registered by hand. Generic shapes are closed over their type arguments with reflection once per closed type,
/// at first use; calls after that go through <see cref="Serializer{T}"/>'s cached instance.
/// </summary>
internal static class BuiltInSerializers
{
    private static readonly Lock s_gate = new();
    private static volatile bool s_registered;

    /// <summary>Registers the built-ins once; concurrent callers wait until they are all in place.</summary>
    internal static void EnsureRegistered()
    {
        if (s_registered)
        {
            return;
        }

        lock (s_gate)
        {
            if (!s_registered)
            {
                RegisterScalars();
                RegisterGenericShapes();
                s_registered = true;
            }
        }
    }

    private static void RegisterScalars()
    {
        SerializerRegistry.RegisterBuiltIn(new BooleanSerializer());
        SerializerRegistry.RegisterBuiltIn(new SByteSerializer());
        SerializerRegistry.RegisterBuiltIn(new ByteSerializer());
        SerializerRegistry.RegisterBuiltIn(new Int16Serializer());
        SerializerRegistry.RegisterBuiltIn(new UInt16Serializer());
        SerializerRegistry.RegisterBuiltIn(new Int32Serializer());
        SerializerRegistry.RegisterBuiltIn(new UInt32Serializer());
        SerializerRegistry.RegisterBuiltIn(new Int64Serializer());
        SerializerRegistry.RegisterBuiltIn(new UInt64Serializer());
        SerializerRegistry.RegisterBuiltIn(new SingleSerializer());
        SerializerRegistry.RegisterBuiltIn(new DoubleSerializer());
        SerializerRegistry.RegisterBuiltIn(new DecimalSerializer());
        SerializerRegistry.RegisterBuiltIn(new CharSerializer());
        SerializerRegistry.RegisterBuiltIn(new StringSerializer());
        SerializerRegistry.RegisterBuiltIn(new ByteArraySerializer());
        SerializerRegistry.RegisterBuiltIn(new ReadOnlyMemorySerializer());
        SerializerRegistry.RegisterBuiltIn(new GuidSerializer());
        SerializerRegistry.RegisterBuiltIn(new DateTimeSerializer());
        SerializerRegistry.RegisterBuiltIn(new DateTimeOffsetSerializer());
        SerializerRegistry.RegisterBuiltIn(new TimeSpanSerializer());

        // Tensors rather than arrays of numbers (DESIGN §5); exact types win over the T[] shape below.
        SerializerRegistry.RegisterBuiltIn(new SingleArraySerializer());
        SerializerRegistry.RegisterBuiltIn(new DoubleArraySerializer());
        SerializerRegistry.RegisterBuiltIn(new Int64ArraySerializer());
    }

    private static void RegisterGenericShapes()
    {
        // Keys typeof(Array) and typeof(Enum) stand for every one-dimensional array and every enum (see SerializerRegistry).
        SerializerRegistry.RegisterGenericBuiltIn(typeof(Array), type => type.IsSZArray ? Create(typeof(ArraySerializer<>), type.GetElementType()!) : null);
        SerializerRegistry.RegisterGenericBuiltIn(typeof(Enum), type => Create(typeof(EnumSerializer<>), type));
        SerializerRegistry.RegisterGenericBuiltIn(typeof(Nullable<>), type => Create(typeof(NullableSerializer<>), type.GetGenericArguments()));

        SerializerRegistry.RegisterGenericBuiltIn(typeof(TensorView<>), type =>
            TensorViewTypes.IsSupported(type.GetGenericArguments()[0]) ? Create(typeof(TensorViewSerializer<>), type.GetGenericArguments()) : null);
        SerializerRegistry.RegisterGenericBuiltIn(typeof(List<>), type => Create(typeof(ListSerializer<>), type.GetGenericArguments()));
        SerializerRegistry.RegisterGenericBuiltIn(typeof(HashSet<>), type => Create(typeof(HashSetSerializer<>), type.GetGenericArguments()));
        foreach (var sequence in new[] { typeof(IList<>), typeof(IReadOnlyList<>), typeof(IReadOnlyCollection<>), typeof(ICollection<>), typeof(IEnumerable<>) })
        {
            SerializerRegistry.RegisterGenericBuiltIn(sequence, type => Create(typeof(SequenceSerializer<,>), type, type.GetGenericArguments()[0]));
        }

        foreach (var dictionary in new[] { typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>) })
        {
            SerializerRegistry.RegisterGenericBuiltIn(dictionary, type => Create(typeof(DictionarySerializer<,,>), [type, .. type.GetGenericArguments()]));
        }

        SerializerRegistry.RegisterGenericBuiltIn(typeof(KeyValuePair<,>), type => Create(typeof(KeyValuePairSerializer<,>), type.GetGenericArguments()));
        SerializerRegistry.RegisterGenericBuiltIn(typeof(ValueTuple<,>), type => Create(typeof(ValueTupleSerializer<,>), type.GetGenericArguments()));
        SerializerRegistry.RegisterGenericBuiltIn(typeof(ValueTuple<,,>), type => Create(typeof(ValueTupleSerializer<,,>), type.GetGenericArguments()));
        SerializerRegistry.RegisterGenericBuiltIn(typeof(ValueTuple<,,,>), type => Create(typeof(ValueTupleSerializer<,,,>), type.GetGenericArguments()));
    }

    private static object? Create(Type serializerDefinition, params Type[] typeArguments) =>
        Activator.CreateInstance(serializerDefinition.MakeGenericType(typeArguments));
}
