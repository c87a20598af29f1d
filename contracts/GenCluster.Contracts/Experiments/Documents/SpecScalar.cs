using System.Globalization;

namespace GenCluster.Contracts.Experiments.Documents;

/// <summary>A scalar with its resolved type and value. <see cref="Text"/> is the decoded text (after escapes and folding).</summary>
internal sealed class SpecScalar : SpecNode
{
    private SpecScalar(int line, int column, ScalarKind kind, string text, long integer, double number, bool boolean)
        : base(line, column)
    {
        Kind = kind;
        Text = text;
        Int = integer;
        Float = number;
        Bool = boolean;
    }

    public ScalarKind Kind { get; }

    public string Text { get; }

    public long Int { get; }

    public double Float { get; }

    public bool Bool { get; }

    public override string Description => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Bool => Bool ? "the boolean true" : "the boolean false",
        ScalarKind.Int => "the integer " + Int.ToString(CultureInfo.InvariantCulture),
        ScalarKind.Float => "the number " + Float.ToString("R", CultureInfo.InvariantCulture),
        _ => "the string '" + (Text.Length <= 40 ? Text : Text[..37] + "...") + "'",
    };

    /// <summary>An identity for duplicate-key checks: two keys are the same when their kind and value are.</summary>
    public string KeyIdentity => Kind switch
    {
        ScalarKind.Null => "n",
        ScalarKind.Bool => Bool ? "b1" : "b0",
        ScalarKind.Int => "i" + Int.ToString(CultureInfo.InvariantCulture),
        ScalarKind.Float => "f" + BitConverter.DoubleToInt64Bits(double.IsNaN(Float) ? double.NaN : Float).ToString(CultureInfo.InvariantCulture),
        _ => "s" + Text,
    };

    public static SpecScalar Null(int line, int column, string text = "") => new(line, column, ScalarKind.Null, text, 0, 0, false);

    public static SpecScalar Boolean(int line, int column, bool value, string text) => new(line, column, ScalarKind.Bool, text, 0, 0, value);

    public static SpecScalar Integer(int line, int column, long value, string text) => new(line, column, ScalarKind.Int, text, value, 0, false);

    public static SpecScalar Number(int line, int column, double value, string text) => new(line, column, ScalarKind.Float, text, 0, value, false);

    public static SpecScalar String(int line, int column, string text) => new(line, column, ScalarKind.String, text, 0, 0, false);
}
