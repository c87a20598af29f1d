using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using GenCluster.Runtime;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// A device on a silo, written <c>silo/kind:index</c> (<c>silo-a/cpu:0</c>, <c>silo-b/cuda:1</c>). A worker grain
/// is keyed by this text and pinned to the silo it names, so two workers can never share one device.
/// </summary>
/// <param name="Silo">The silo's configured name: 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.</param>
/// <param name="Kind">CPU compute thread or CUDA GPU.</param>
/// <param name="Index">The device's index on that silo, 0 to <see cref="ExperimentSpecLimits.MaxDeviceIndex"/>.</param>
[GenerateSerializer]
public sealed record DeviceAddress([Id(0)] string Silo, [Id(1)] DeviceKind Kind, [Id(2)] int Index)
{
    /// <summary>Parses <c>silo/kind:index</c>.</summary>
    /// <exception cref="FormatException">The text is not a device address; the message says why.</exception>
    public static DeviceAddress Parse(string text) =>
        TryParse(text, out var address, out var problem) ? address : throw new FormatException(problem);

    /// <summary>Parses <c>silo/kind:index</c>, or says why the text is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DeviceAddress? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "a device is written silo/kind:index, e.g. silo-a/cpu:0; got an empty string";
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        int colon = text.LastIndexOf(':');
        if (slash <= 0 || colon < slash || text.IndexOf('/', slash + 1) >= 0)
        {
            problem = $"'{text}' is not of the form silo/kind:index, e.g. silo-a/cpu:0 or silo-b/cuda:1";
            return false;
        }

        string kindText = text[(slash + 1)..colon];
        DeviceKind kind;
        switch (kindText)
        {
            case "cpu":
                kind = DeviceKind.Cpu;
                break;
            case "cuda":
                kind = DeviceKind.Cuda;
                break;
            default:
                problem = $"'{text}' names device kind '{kindText}'; the kinds are cpu and cuda";
                return false;
        }

        var indexText = text.AsSpan(colon + 1);
        if (indexText.IsEmpty
            || indexText.Length > 4
            || (indexText.Length > 1 && indexText[0] == '0')
            || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            problem = $"'{text}' has device index '{indexText}'; it must be a number from 0 to {ExperimentSpecLimits.MaxDeviceIndex} without leading zeros";
            return false;
        }

        var parsed = new DeviceAddress(text[..slash], kind, index);
        problem = parsed.FindProblem();
        if (problem is not null)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary><c>silo/kind:index</c>, the form <see cref="Parse"/> reads and worker grain keys use.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Silo}/{(Kind == DeviceKind.Cuda ? "cuda" : "cpu")}:{Index}");

    /// <summary>Why this address is invalid (a silo name or index out of range, say), or null when it is valid.</summary>
    internal string? FindProblem()
    {
        if (!SpecNames.IsValid(Silo, ExperimentSpecLimits.MaxSiloNameLength))
        {
            return $"silo name '{Silo}' must be 1 to {ExperimentSpecLimits.MaxSiloNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit";
        }

        if (!Enum.IsDefined(Kind))
        {
            return $"device kind {(int)Kind} is unknown; the kinds are cpu and cuda";
        }

        if (Index is < 0 or > ExperimentSpecLimits.MaxDeviceIndex)
        {
            return $"device index {Index} must be from 0 to {ExperimentSpecLimits.MaxDeviceIndex}";
        }

        return null;
    }
}
