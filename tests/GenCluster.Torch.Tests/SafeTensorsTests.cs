using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GenCluster.Torch.Modules;
using GenCluster.Torch.Serialization;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>The safetensors format: round trips, layout, interoperability with Python/PyTorch, corrupt files.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private static readonly ScalarType[] AllTypes =
    [
        ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64,
        ScalarType.Float16, ScalarType.Float32, ScalarType.Float64, ScalarType.Bool, ScalarType.BFloat16,
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("gencluster-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>Values exactly representable in every dtype (small integers; 0/1 for bool).</summary>
    private static double[] SampleValues(ScalarType type, int count) => Enumerable.Range(0, count).Select(i => type switch
    {
        ScalarType.Bool => i % 3 == 0 ? 1.0 : 0.0,
        ScalarType.Byte => (i * 37) % 256,
        ScalarType.Float16 or ScalarType.BFloat16 => (i - 3) * 0.5,
        ScalarType.Float32 => ((i - 3) * 0.37f),
        ScalarType.Float64 => (i - 3) * 0.1234567890123,
        ScalarType.Int64 => (i - 3) * 3_000_000_000L,
        ScalarType.Int32 => (i - 3) * 100_000,
        ScalarType.Int16 => (i - 3) * 1000,
        _ => i - 3,
    }).ToArray();

    private static Tensor Sample(ScalarType type, int count, params long[] shape)
    {
        using var source = T.F64(SampleValues(type, count), shape);
        return source.to(type);
    }

    private static Dictionary<string, Tensor> AllTypesState()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var type in AllTypes)
        {
            state[$"t_{type}"] = Sample(type, 6, 2, 3);
        }

        state["scalar"] = T.F32([2.5f], []);
        state["empty"] = zeros([0, 3]);
        state["transposed"] = T.F64([1, 2, 3, 4, 5, 6], 2, 3).t();
        return state;
    }

    private static void DisposeAll(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void Round_trip_preserves_every_dtype_shape_and_value()
    {
        using var scope = NewDisposeScope();
        var state = AllTypesState();
        var path = PathOf("all.safetensors");
        SafeTensors.Save(state, path, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" });
        File.Exists(path + ".tmp").Should().BeFalse("the temporary file is renamed into place");

        var (loaded, metadata) = SafeTensors.Load(path);
        try
        {
            metadata.Should().BeEquivalentTo(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" });
            loaded.Keys.Should().BeEquivalentTo(state.Keys);
            foreach (var (name, expected) in state)
            {
                var actual = loaded[name];
                actual.dtype.Should().Be(expected.dtype, name);
                actual.shape.Should().Equal(expected.shape, name);
                actual.device.Should().Be(Device.CPU);
                actual.Values().Should().Equal(expected.Values(), name);
                actual.Scope.Should().BeNull("loaded tensors belong to the caller, not to the open scope");
            }
        }
        finally
        {
            DisposeAll(loaded.Values);
        }
    }

    [Fact]
    public void Stream_round_trip_without_metadata()
    {
        using var scope = NewDisposeScope();
        using var stream = new MemoryStream();
        SafeTensors.Write([new("a", T.I64([1, 2, 3])), new("b", T.F64([0.5], 1, 1))], stream);
        stream.Position = 0;
        var (loaded, metadata) = SafeTensors.Read(stream);
        try
        {
            metadata.Should().BeEmpty();
            loaded["a"].ToArray<long>().Should().Equal(1, 2, 3);
            loaded["b"].shape.Should().Equal(1, 1);
            loaded["b"].ToArray<double>().Should().Equal(0.5);
        }
        finally
        {
            DisposeAll(loaded.Values);
        }
    }

    [Fact]
    public void Header_follows_the_safetensors_layout()
    {
        using var scope = NewDisposeScope();
        using var stream = new MemoryStream();
        SafeTensors.Write([new("w", T.F32([1, 2, 3, 4, 5, 6], 2, 3)), new("n", full([], 7, int64))], stream,
            new Dictionary<string, string> { ["k"] = "v" });
        var bytes = stream.ToArray();
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ((8 + headerLength) % 8).Should().Be(0, "data starts 8-byte aligned");
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var root = header.RootElement;
        root.GetProperty("__metadata__").GetProperty("k").GetString().Should().Be("v");
        var w = root.GetProperty("w");
        w.GetProperty("dtype").GetString().Should().Be("F32");
        w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(2, 3);
        w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(0, 24);
        var n = root.GetProperty("n");
        n.GetProperty("dtype").GetString().Should().Be("I64");
        n.GetProperty("shape").GetArrayLength().Should().Be(0);
        n.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(24, 32);

        var data = bytes.AsSpan(8 + headerLength);
        data.Length.Should().Be(32);
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]).Should().Be(i + 1);
        }

        BinaryPrimitives.ReadInt64LittleEndian(data[24..]).Should().Be(7);
    }

    [Fact]
    public void Python_reads_the_files_we_write()
    {
        using var scope = NewDisposeScope();
        var state = AllTypesState();
        var path = PathOf("ours.safetensors");
        SafeTensors.Save(state, path, new Dictionary<string, string> { ["written_by"] = "GenCluster" });

        var lines = PythonPeer.RunInline("""
            import json, struct, sys
            import numpy as np
            data = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', data[:8])[0]
            header = json.loads(data[8:8 + n].decode('utf-8'))
            base = 8 + n
            assert base % 8 == 0, 'data is not 8-byte aligned'
            meta = header.pop('__metadata__', {})
            for k in sorted(meta):
                print('meta', k, meta[k])
            types = {'F64': '<f8', 'F32': '<f4', 'F16': '<f2', 'I64': '<i8', 'I32': '<i4', 'I16': '<i2', 'I8': 'i1', 'U8': 'u1', 'BOOL': '?'}
            end = 0
            for name in sorted(header):
                e = header[name]
                b, en = e['data_offsets']
                end = max(end, en)
                raw = data[base + b: base + en]
                if e['dtype'] == 'BF16':
                    arr = (np.frombuffer(raw, '<u2').astype(np.uint32) << 16).view(np.float32)
                else:
                    arr = np.frombuffer(raw, types[e['dtype']])
                arr = arr.reshape(e['shape'])
                print('tensor', name, e['dtype'], ','.join(str(s) for s in e['shape']), ' '.join(repr(float(x)) for x in arr.astype(np.float64).ravel()))
            assert base + end == len(data), 'trailing or missing bytes'
            """, path);

        lines.Should().Contain("meta written_by GenCluster");
        var tensors = lines.Where(l => l.StartsWith("tensor ", StringComparison.Ordinal)).ToList();
        tensors.Should().HaveCount(state.Count);
        foreach (var line in tensors)
        {
            var parts = line.Split(' ');
            var name = parts[1];
            state.Should().ContainKey(name);
            var expected = state[name];
            var shape = parts[3].Length == 0 ? [] : parts[3].Split(',').Select(long.Parse).ToArray();
            shape.Should().Equal(expected.shape, name);
            var values = parts.Skip(4).Where(p => p.Length > 0).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            values.Should().Equal(expected.Values(), name);
        }
    }

    [Fact]
    public void Files_written_by_python_load_with_the_right_values()
    {
        var path = PathOf("numpy.safetensors");
        PythonPeer.RunInline("""
            import json, struct, sys
            import numpy as np
            tensors = {
                'f32': np.array([i * 0.37 - 2 for i in range(6)], '<f4').reshape(2, 3),
                'f64': np.array([i / 7 for i in range(5)], '<f8'),
                'i64': np.array([i * 3 - 5 for i in range(4)], '<i8').reshape(2, 1, 2),
                'i32': np.array([-70000, 70000], '<i4'),
                'u8': np.array([0, 7, 255], 'u1'),
                'bool': np.array([True, False, True]),
                'f16': np.array([0.5, -1.25, 3], '<f2'),
                'scalar': np.array(2.5, '<f4'),
            }
            names = {'float32': 'F32', 'float64': 'F64', 'int64': 'I64', 'int32': 'I32', 'uint8': 'U8', 'bool': 'BOOL', 'float16': 'F16'}
            header = {'__metadata__': {'source': 'numpy'}}
            offset, blobs = 0, []
            for name, arr in tensors.items():
                b = arr.tobytes()
                header[name] = {'dtype': names[str(arr.dtype)], 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(b)]}
                offset += len(b)
                blobs.append(b)
            h = json.dumps(header, sort_keys=True).encode()  # key order differs from data order; no alignment padding
            with open(sys.argv[1], 'wb') as f:
                f.write(struct.pack('<Q', len(h)))
                f.write(h)
                f.write(b''.join(blobs))
            """, path);

        var (loaded, metadata) = SafeTensors.Load(path);
        try
        {
            metadata.Should().Equal(new Dictionary<string, string> { ["source"] = "numpy" });
            loaded["f32"].shape.Should().Equal(2, 3);
            loaded["f32"].ToArray<float>().Should().Equal(Enumerable.Range(0, 6).Select(i => (float)((i * 0.37) - 2)));
            loaded["f64"].ToArray<double>().Should().Equal(Enumerable.Range(0, 5).Select(i => i / 7.0));
            loaded["i64"].shape.Should().Equal(2, 1, 2);
            loaded["i64"].ToArray<long>().Should().Equal(-5, -2, 1, 4);
            loaded["i32"].ToArray<int>().Should().Equal(-70000, 70000);
            loaded["u8"].ToArray<byte>().Should().Equal(0, 7, 255);
            loaded["bool"].ToArray<bool>().Should().Equal(true, false, true);
            loaded["f16"].ToArray<Half>().Should().Equal((Half)0.5, (Half)(-1.25), (Half)3);
            loaded["scalar"].shape.Should().BeEmpty();
            loaded["scalar"].item<float>().Should().Be(2.5f);
        }
        finally
        {
            DisposeAll(loaded.Values);
        }
    }

    [Fact]
    public void State_dicts_move_between_our_modules_and_pytorch_modules()
    {
        using var scope = NewDisposeScope();
        static Sequential Build() => nn.Sequential(
            nn.Conv2d(1, 4, 3, padding: 1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(4, 2, 4, stride: 2, padding: 1), nn.Flatten(), nn.Linear(2 * 8 * 8, 3));

        // Ours → PyTorch: train-mode passes give BatchNorm non-trivial running statistics first.
        manual_seed(17);
        using var ours = Build();
        for (var i = 0; i < 3; i++)
        {
            ours.forward(randn([5, 1, 4, 4]).mul(2).add(1));
        }

        ours.eval();
        var input = randn([2, 1, 4, 4]);
        var ourOutput = ours.forward(input).Values();
        var oursPath = PathOf("ours_model.safetensors");
        SafeTensors.Save(ours.state_dict().Append(new("input", input)), oursPath);
        var theirsPath = PathOf("theirs_model.safetensors");

        var lines = PythonPeer.RunInline("""
            import json, struct, sys
            import numpy as np
            import torch
            from torch import nn
            torch.set_num_threads(1)

            def load(path):
                data = open(path, 'rb').read()
                n = struct.unpack('<Q', data[:8])[0]
                header = json.loads(data[8:8 + n])
                header.pop('__metadata__', None)
                types = {'F32': '<f4', 'I64': '<i8'}
                return {k: torch.from_numpy(np.frombuffer(data[8 + n + e['data_offsets'][0]: 8 + n + e['data_offsets'][1]], types[e['dtype']]).reshape(e['shape']).copy())
                        for k, e in header.items()}

            def save(tensors, path):
                header, offset, blobs = {}, 0, []
                for k, t in tensors.items():
                    b = t.detach().contiguous().numpy().tobytes()
                    header[k] = {'dtype': {torch.float32: 'F32', torch.int64: 'I64'}[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
                    offset += len(b)
                    blobs.append(b)
                h = json.dumps(header).encode()
                with open(path, 'wb') as f:
                    f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))

            def build():
                return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
                                     nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1), nn.Flatten(), nn.Linear(2 * 8 * 8, 3))

            state = load(sys.argv[1])
            x = state.pop('input')
            m = build()
            m.load_state_dict(state, strict=True)
            m.eval()
            with torch.no_grad():
                print('ours', ' '.join(repr(v) for v in m(x).double().flatten().tolist()))

            torch.manual_seed(3)
            theirs = build()
            with torch.no_grad():
                for _ in range(2):
                    theirs(torch.randn(5, 1, 4, 4) * 3 - 1)
            theirs.eval()
            x2 = torch.randn(3, 1, 4, 4)
            with torch.no_grad():
                print('theirs', ' '.join(repr(v) for v in theirs(x2).double().flatten().tolist()))
            out = dict(theirs.state_dict())
            out['input'] = x2
            save(out, sys.argv[2])
            """, oursPath, theirsPath);

        double[] Parse(string prefix) => lines.Single(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))
            .Split(' ').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        Parse("ours").ShouldBeClose(ourOutput, 1e-5, 1e-4, "PyTorch running our weights");

        // PyTorch → ours
        var (theirState, _) = SafeTensors.Load(theirsPath);
        try
        {
            using var model = Build();
            var theirInput = theirState["input"];
            theirState.Remove("input");
            theirState["1.num_batches_tracked"].item<long>().Should().Be(2);
            model.load_state_dict(theirState);
            model.eval();
            model.forward(theirInput).Values().ShouldBeClose(Parse("theirs"), 1e-5, 1e-4, "our modules running PyTorch's weights");
            theirInput.Dispose();
        }
        finally
        {
            DisposeAll(theirState.Values);
        }
    }

    public static TheoryData<string, byte[]> CorruptFiles()
    {
        static byte[] File(string header, int dataBytes = 0, ulong? declaredLength = null)
        {
            var h = Encoding.UTF8.GetBytes(header);
            var bytes = new byte[8 + h.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)h.Length);
            h.CopyTo(bytes, 8);
            return bytes;
        }

        const string valid = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        return new TheoryData<string, byte[]>
        {
            { "empty file", [] },
            { "shorter than the length prefix", [1, 2, 3] },
            { "zero header length", File("", 0, 0) },
            { "absurd header length", File(valid, 8, ulong.MaxValue) },
            { "header longer than the file", File(valid, 8, 10_000) },
            { "truncated data", File(valid, 4) },
            { "header is not JSON", File("{not json", 8) },
            { "header is not an object", File("[1, 2]") },
            { "entry is not an object", File("""{"a": 3}""") },
            { "missing dtype", File("""{"a":{"shape":[2],"data_offsets":[0,8]}}""", 8) },
            { "unknown dtype", File("""{"a":{"dtype":"C64","shape":[2],"data_offsets":[0,8]}}""", 8) },
            { "dtype not a string", File("""{"a":{"dtype":5,"shape":[2],"data_offsets":[0,8]}}""", 8) },
            { "negative size", File("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8) },
            { "fractional size", File("""{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8) },
            { "one offset", File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8]}}""", 8) },
            { "byte range does not match shape", File("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8) },
            { "gap before data", File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12) },
            { "overlapping tensors", File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8) },
            { "metadata value not a string", File("""{"__metadata__":{"k":1}}""") },
            { "duplicate tensor name", File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", 16) },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Corrupt_or_truncated_files_throw_InvalidDataException(string description, byte[] bytes)
    {
        var path = PathOf("corrupt.safetensors");
        File.WriteAllBytes(path, bytes);
        var act = () => SafeTensors.Load(path);
        act.Should().Throw<InvalidDataException>(description).WithMessage($"{path}:*");
    }

    [Fact]
    public void Truncating_a_valid_file_anywhere_is_detected()
    {
        using var scope = NewDisposeScope();
        using var stream = new MemoryStream();
        SafeTensors.Write([new("a", T.F32([1, 2, 3])), new("b", T.I64([4, 5]))], stream);
        var bytes = stream.ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            using var truncated = new MemoryStream(bytes, 0, length);
            var act = () => SafeTensors.Read(truncated, "cut");
            act.Should().Throw<InvalidDataException>($"a file cut at {length} of {bytes.Length} bytes is incomplete");
        }
    }

    [Fact]
    public void Invalid_save_arguments_throw()
    {
        using var scope = NewDisposeScope();
        var t = zeros([1]);
        using var stream = new MemoryStream();
        FluentActions.Invoking(() => SafeTensors.Write([new("x", t), new("x", t)], stream)).Should().Throw<ArgumentException>().WithMessage("*'x' appears twice*");
        FluentActions.Invoking(() => SafeTensors.Save(null!, PathOf("n.safetensors"))).Should().Throw<ArgumentNullException>();
    }
}
