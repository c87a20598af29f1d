using System.Security.Cryptography;
using System.Text.Json;

namespace GenCluster.Imaging.Tests;

/// <summary>What png_peer.py reported about a PNG file.</summary>
internal sealed record PeerReport(int Width, int Height, int BitDepth, int ColorType, IReadOnlyList<string> Chunks, IReadOnlyList<int> Filters, string Sha256);

/// <summary>
/// Runs png_peer.py — an independent decoder built only on Python's zlib — on a PNG file, through the
/// shared <see cref="PythonPeer"/> runner (Debian's /usr/bin/python3, bounded in time). Python 3 is a
/// required test peer in this repository (DESIGN.md §1), so a missing interpreter fails the test.
/// </summary>
internal static class PythonPngPeer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string ScriptPath => PythonPeer.Script("png_peer.py");

    public static PeerReport Decode(byte[] png)
    {
        using var directory = new TemporaryDirectory("gencluster-imaging");
        var path = directory.File("image.png");
        File.WriteAllBytes(path, png);
        return DecodeFile(path);
    }

    public static PeerReport DecodeFile(string path)
    {
        var stdout = PythonPeer.Run(ScriptPath, Timeout, path);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        return new PeerReport(
            root.GetProperty("width").GetInt32(),
            root.GetProperty("height").GetInt32(),
            root.GetProperty("bit_depth").GetInt32(),
            root.GetProperty("color_type").GetInt32(),
            root.GetProperty("chunks").EnumerateArray().Select(e => e.GetString()!).ToList(),
            root.GetProperty("filters").EnumerateArray().Select(e => e.GetInt32()).ToList(),
            root.GetProperty("sha256").GetString()!);
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
