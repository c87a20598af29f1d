using System.Globalization;
using System.Text.RegularExpressions;
using GenCluster.Contracts.Experiments.Documents;

namespace GenCluster.Contracts.Experiments.Yaml;

/// <summary>
/// Resolves plain (unquoted) scalars by the YAML 1.2 core schema: null, booleans, integers (decimal, 0o octal, 0x hex)
/// and floats (including .inf and .nan); everything else is a string. Quoted scalars are always strings.
/// Unlike YAML 1.1 (and PyYAML's default), <c>yes</c>, <c>on</c>, <c>1_000</c> and <c>1:30</c> are strings.
/// </summary>
internal static partial class YamlCoreSchema
{
    /// <summary>Resolves <paramref name="text"/>, a plain scalar starting at (<paramref name="line"/>, <paramref name="column"/>).</summary>
    /// <exception cref="SpecSyntaxException">An integer does not fit in 64 bits.</exception>
    public static SpecScalar Resolve(string text, int line, int column)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return SpecScalar.Null(line, column, text);
            case "true" or "True" or "TRUE":
                return SpecScalar.Boolean(line, column, true, text);
            case "false" or "False" or "FALSE":
                return SpecScalar.Boolean(line, column, false, text);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return SpecScalar.Number(line, column, double.PositiveInfinity, text);
            case "-.inf" or "-.Inf" or "-.INF":
                return SpecScalar.Number(line, column, double.NegativeInfinity, text);
            case ".nan" or ".NaN" or ".NAN":
                return SpecScalar.Number(line, column, double.NaN, text);
        }

        if (DecimalInteger().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                ? SpecScalar.Integer(line, column, value, text)
                : throw OutOfRange(text, line, column);
        }

        if (text.Length > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x'))
        {
            int radix = text[1] == 'o' ? 8 : 16;
            if (radix == 8 ? OctalInteger().IsMatch(text) : HexInteger().IsMatch(text))
            {
                return SpecScalar.Integer(line, column, ParseRadix(text, radix, line, column), text);
            }
        }

        if (Float().IsMatch(text))
        {
            return SpecScalar.Number(line, column, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), text);
        }

        return SpecScalar.String(line, column, text);
    }

    private static long ParseRadix(string text, int radix, int line, int column)
    {
        ulong value = 0;
        for (int i = 2; i < text.Length; i++)
        {
            int digit = HexValue(text[i]);
            if (value > (ulong)(long.MaxValue - digit) / (ulong)radix)
            {
                throw OutOfRange(text, line, column);
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        return (long)value;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static SpecSyntaxException OutOfRange(string text, int line, int column) =>
        new(line, column, $"the integer {(text.Length <= 40 ? text : text[..37] + "...")} does not fit in 64 bits (−2^63 to 2^63−1); quote it if it is meant as text");

    [GeneratedRegex(@"^[-+]?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^0o[0-7]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Float();
}
