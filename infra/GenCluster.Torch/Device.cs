using System.Globalization;

namespace GenCluster.Torch;

/// <summary>Kinds of devices; the values are libtorch's <c>c10::DeviceType</c> codes.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device such as <c>cpu</c> or <c>cuda:1</c>.</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The device ordinal; -1 means "the current one" (always -1 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    /// <summary>The CPU.</summary>
    public static Device CPU { get; } = new(DeviceType.CPU);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (PyTorch's spelling).</summary>
    /// <exception cref="FormatException">The text names no device this binding knows.</exception>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim().ToLowerInvariant();
        if (spec == "cpu")
        {
            return CPU;
        }

        if (spec == "cuda")
        {
            return new Device(DeviceType.CUDA, 0);
        }

        if (spec.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new Device(DeviceType.CUDA, index);
        }

        throw new FormatException($"'{text}' is not a device; expected 'cpu', 'cuda' or 'cuda:N'");
    }

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        DeviceType.CPU => "cpu",
        _ => Index < 0 ? "cuda" : $"cuda:{Index.ToString(CultureInfo.InvariantCulture)}",
    };
}
