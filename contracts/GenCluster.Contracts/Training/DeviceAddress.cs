using System.Globalization;

namespace GenCluster.Contracts.Training;

/// <summary>
/// A compute device of one silo, written <c>silo/device</c> (<c>silo-1/cpu:0</c>, <c>gpu-node-3/cuda:1</c>).
/// The device is <c>cpu:N</c> (N-th CPU compute thread) or <c>cuda:N</c> (N-th GPU).
/// </summary>
/// <param name="Silo">The silo's name.</param>
/// <param name="Device">The device on that silo.</param>
public readonly record struct DeviceAddress(string Silo, string Device)
{
    /// <summary>Parses <c>silo/device</c>.</summary>
    /// <exception cref="FormatException">The text is not of that form, or the device is not <c>cpu:N</c>/<c>cuda:N</c>.</exception>
    public static DeviceAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"'{text}' is not a device address of the form silo/device (e.g. silo-1/cpu:0)");
        }

        var device = text[(slash + 1)..];
        if (!IsDeviceName(device))
        {
            throw new FormatException($"'{device}' in '{text}' is not a device; expected cpu:N or cuda:N");
        }

        return new DeviceAddress(text[..slash], device);
    }

    /// <summary>Whether <paramref name="device"/> is <c>cpu:N</c> or <c>cuda:N</c> with N a whole number below 1024.</summary>
    public static bool IsDeviceName(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var colon = device.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || device[..colon] is not ("cpu" or "cuda"))
        {
            return false;
        }

        return int.TryParse(device.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < 1024;
    }

    /// <summary><c>silo/device</c>.</summary>
    public override string ToString() => $"{Silo}/{Device}";
}
