using GenCluster.Runtime;

namespace GenCluster.CodeGen.Tests.Contracts;

/// <summary>One member of every built-in shape, so a generated serializer exercises them all together.</summary>
[GenerateSerializer]
public sealed class EverythingBuiltIn
{
    [Id(0)] public bool Flag { get; set; }
    [Id(1)] public sbyte SByte { get; set; }
    [Id(2)] public byte Byte { get; set; }
    [Id(3)] public short Int16 { get; set; }
    [Id(4)] public ushort UInt16 { get; set; }
    [Id(5)] public int Int32 { get; set; }
    [Id(6)] public uint UInt32 { get; set; }
    [Id(7)] public long Int64 { get; set; }
    [Id(8)] public ulong UInt64 { get; set; }
    [Id(9)] public float Single { get; set; }
    [Id(10)] public double Double { get; set; }
    [Id(11)] public decimal Decimal { get; set; }
    [Id(12)] public char Char { get; set; }
    [Id(13)] public string? Text { get; set; }
    [Id(14)] public byte[]? Bytes { get; set; }
    [Id(15)] public ReadOnlyMemory<byte> Memory { get; set; }
    [Id(16)] public Guid Guid { get; set; }
    [Id(17)] public DateTime DateTime { get; set; }
    [Id(18)] public DateTimeOffset DateTimeOffset { get; set; }
    [Id(19)] public TimeSpan TimeSpan { get; set; }
    [Id(20)] public DayOfWeek Day { get; set; }
    [Id(21)] public int? NullableInt { get; set; }
    [Id(22)] public string[]? Strings { get; set; }
    [Id(23)] public List<int>? List { get; set; }
    [Id(24)] public IList<string>? IList { get; set; }
    [Id(25)] public IReadOnlyList<double>? IReadOnlyList { get; set; }
    [Id(26)] public IReadOnlyCollection<long>? IReadOnlyCollection { get; set; }
    [Id(27)] public IEnumerable<string>? Enumerable { get; set; }
    [Id(28)] public Dictionary<string, int>? Dictionary { get; set; }
    [Id(29)] public IReadOnlyDictionary<int, string>? IReadOnlyDictionary { get; set; }
    [Id(30)] public IDictionary<string, double>? IDictionary { get; set; }
    [Id(31)] public HashSet<string>? HashSet { get; set; }
    [Id(32)] public KeyValuePair<string, int> Pair { get; set; }
    [Id(33)] public (int, string) Tuple2 { get; set; }
    [Id(34)] public (int, string, double) Tuple3 { get; set; }
    [Id(35)] public (int, string, double, bool) Tuple4 { get; set; }
    [Id(36)] public float[]? Floats { get; set; }
    [Id(37)] public double[]? Doubles { get; set; }
    [Id(38)] public long[]? Longs { get; set; }
    [Id(39)] public ICollection<int>? ICollection { get; set; }
}
