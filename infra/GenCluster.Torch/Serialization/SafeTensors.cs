using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Serialization;

/// <summary>
/// Reads and writes the <c>safetensors</c> layout (an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw little-endian data),
/// which PyTorch tooling loads directly. Used for state dicts and generator packages.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Writes tensors (any device, copied to host) and optional string metadata to <paramref name="path"/> atomically.</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            Write(tensors, stream, metadata);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes tensors to a stream.</summary>
    public static void Write(IEnumerable<KeyValuePair<string, Tensor>> tensors, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var duplicate = list.GroupBy(t => t.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"tensor name '{duplicate.Key}' appears twice", nameof(tensors));
        }

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in list)
            {
                var bytes = tensor.numel() * tensor.dtype.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", DtypeName(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var size in tensor.shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
        var padding = (int)((8 - (header.Length % 8)) % 8);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(header.Length + padding));
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        for (var i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (var (_, tensor) in list)
        {
            WriteData(tensor, stream);
        }
    }

    /// <summary>Reads every tensor of a file into new CPU tensors, with the file's metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every tensor from a stream.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(Stream stream, string sourceName = "stream")
    {
        var lengthBytes = new byte[8];
        ReadExactly(stream, lengthBytes, sourceName); // a file shorter than the prefix is truncated, not an I/O failure
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"{sourceName}: header length {headerLength} is not plausible");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, sourceName);
        var entries = new List<(string Name, ScalarType Type, long[] Shape, long Begin, long End)>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var document = JsonDocument.Parse(headerBytes);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                if (entries.Any(e => e.Name == property.Name))
                {
                    // JSON parsers keep the last duplicate; the first tensor would be silently dropped.
                    throw new InvalidDataException($"{sourceName}: tensor '{property.Name}' appears twice in the header");
                }

                var type = ParseDtype(property.Value.GetProperty("dtype").GetString(), sourceName, property.Name);
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2 || shape.Any(s => s < 0))
                {
                    throw new InvalidDataException($"{sourceName}: tensor '{property.Name}' has a malformed shape or data_offsets");
                }

                var expected = shape.Aggregate(1L, (a, b) => checked(a * b)) * type.ElementSize();
                if (offsets[1] - offsets[0] != expected)
                {
                    throw new InvalidDataException($"{sourceName}: tensor '{property.Name}' spans {offsets[1] - offsets[0]} bytes but its shape needs {expected}");
                }

                entries.Add((property.Name, type, shape, offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{sourceName}: malformed safetensors header ({e.Message})", e);
        }

        // Data must tile the byte buffer exactly, in offset order, with no gaps or overlaps.
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long position = 0;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, type, shape, begin, end) in entries)
            {
                if (begin != position)
                {
                    throw new InvalidDataException($"{sourceName}: tensor '{name}' starts at byte {begin}, expected {position}");
                }

                var data = new byte[end - begin];
                ReadExactly(stream, data, sourceName);
                tensors[name] = FromBytes(data, shape, type);
                position = end;
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        return (tensors, metadata);
    }

    private static unsafe Tensor FromBytes(byte[] data, long[] shape, ScalarType type)
    {
        fixed (byte* pointer = data)
        {
            return Interop.NativeResult.Tensor(Interop.NativeMethods.gct_from_buffer(pointer, data.Length, shape, shape.Length, (int)type, 0))
                .DetachFromDisposeScope();
        }
    }

    private static unsafe void WriteData(Tensor tensor, Stream stream)
    {
        var bytes = tensor.numel() * tensor.dtype.ElementSize();
        if (bytes == 0)
        {
            return;
        }

        var buffer = new byte[bytes];
        fixed (byte* pointer = buffer)
        {
            Interop.NativeResult.Check(Interop.NativeMethods.gct_copy_to_buffer(tensor.Handle, pointer, bytes));
        }

        stream.Write(buffer);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string sourceName)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{sourceName}: file is truncated", e);
        }
    }

    private static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"no safetensors dtype for {type}"),
    };

    private static ScalarType ParseDtype(string? name, string sourceName, string tensorName) => name switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{sourceName}: tensor '{tensorName}' has unsupported dtype '{name}'"),
    };
}
