namespace GenCluster.Datasets.Tests;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Payload(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    private string Write(string name, byte[] content)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_dimensions_and_payload_from_raw_and_gzip_files(bool compressed)
    {
        byte[] payload = Payload(2 * 3 * 4);
        byte[] raw = IdxBytes.UnsignedBytes([2, 3, 4], payload);
        string path = Write("small.idx", compressed ? IdxBytes.Gzip(raw) : raw);

        IdxArray array = IdxReader.Read(path, IdxElementType.UnsignedByte, expectedRank: 3);

        array.ElementType.Should().Be(IdxElementType.UnsignedByte);
        array.Dimensions.Should().Equal(2, 3, 4);
        array.Rank.Should().Be(3);
        array.ElementCount.Should().Be(24);
        array.Span.ToArray().Should().Equal(payload);
        array.Source.Should().Be(path);
    }

    [Fact]
    public void Keeps_multi_byte_elements_as_stored()
    {
        byte[] payload = [0x3F, 0x80, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00]; // 1.0f, -2.0f big-endian
        string path = Write("floats.idx", [.. IdxBytes.Header(0x00000D01, 2), .. payload]);

        IdxArray array = IdxReader.Read(path);

        array.ElementType.Should().Be(IdxElementType.Float32);
        array.Dimensions.Should().Equal(2);
        System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(array.Span[4..]).Should().Be(-2.0f);
    }

    [Fact]
    public void Wrong_magic_names_the_file_and_the_magic()
    {
        string path = Write("bad-magic.idx", [.. IdxBytes.Header(0x12340803, 1, 1, 1), 0]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: bad magic number 0x12340803*");
    }

    [Fact]
    public void Unsupported_element_type_is_rejected()
    {
        string path = Write("type.idx", [.. IdxBytes.Header(0x00000701, 4), 1, 2, 3, 4]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: unsupported element type 0x07 in magic number 0x00000701*");
    }

    [Fact]
    public void Unexpected_element_type_is_rejected()
    {
        string path = Write("int.idx", [.. IdxBytes.Header(0x00000C01, 1), 0, 0, 0, 1]);

        Action read = () => IdxReader.Read(path, IdxElementType.UnsignedByte);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: expected element type UnsignedByte (0x08), found Int32 (0x0C)*");
    }

    [Fact]
    public void Dimension_count_mismatch_is_rejected_with_both_magics()
    {
        string path = Write("train-labels-idx1-ubyte", IdxBytes.UnsignedBytes([3], [1, 2, 3]));

        Action read = () => IdxReader.Read(path, IdxElementType.UnsignedByte, expectedRank: 3);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: expected 3 dimension(s) (magic 0x00000803), the header has 1 (magic 0x00000801).");
    }

    [Fact]
    public void Truncated_raw_payload_is_reported_with_expected_and_found_sizes()
    {
        byte[] raw = IdxBytes.UnsignedBytes([10, 28, 28], Payload(100));
        string path = Write("short.idx", raw);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: expected 7840 payload bytes for dimensions [10, 28, 28], found 100 (file truncated).");
    }

    [Fact]
    public void Truncated_gzipped_train_images_are_reported_like_the_real_file_would_be()
    {
        byte[] raw = [.. IdxBytes.Header(0x00000803, 60000, 28, 28), .. Payload(1234)];
        string path = Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(raw));

        Action read = () => IdxReader.Read(path, IdxElementType.UnsignedByte, expectedRank: 3);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: expected 47040000 payload bytes for dimensions [60000, 28, 28], found 1234 (file truncated).");
    }

    [Fact]
    public void A_gzip_stream_cut_in_the_middle_is_an_error_naming_the_file()
    {
        byte[] raw = IdxBytes.UnsignedBytes([50, 28, 28], Enumerable.Range(0, 50 * 28 * 28).Select(i => (byte)((i * 31) ^ (i >> 5))).ToArray());
        byte[] gz = IdxBytes.Gzip(raw);
        string path = Write("cut.gz", gz[..(gz.Length / 2)]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: expected 39200 payload bytes for dimensions [50, 28, 28], found * (file truncated).");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void A_gzip_stream_missing_its_trailer_is_an_error(int cut)
    {
        byte[] gz = IdxBytes.Gzip(IdxBytes.UnsignedBytes([2, 28, 28], Payload(2 * 784)));
        string path = Write("no-trailer.gz", gz[..^cut]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: gzip trailer missing or damaged*");
    }

    [Theory]
    [InlineData(8)] // first byte of the CRC-32
    [InlineData(4)] // first byte of ISIZE
    public void A_damaged_gzip_trailer_is_an_error(int fromEnd)
    {
        byte[] gz = IdxBytes.Gzip(IdxBytes.UnsignedBytes([2, 28, 28], Payload(2 * 784)));
        gz[^fromEnd] ^= 0x55;
        string path = Write("bad-trailer.gz", gz);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: *");
    }

    [Fact]
    public void Gzip_magic_followed_by_garbage_is_reported_as_corrupt_gzip()
    {
        byte[] garbage = [0x1f, 0x8b, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11))];
        string path = Write("garbage.gz", garbage);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: corrupt gzip data*");
    }

    [Fact]
    public void Absurd_header_is_rejected_before_allocating()
    {
        // Claims 2^31-1 cubed bytes (about 10^28) in a 16-byte file.
        string path = Write("huge.idx", IdxBytes.Header(0x00000803, int.MaxValue, int.MaxValue, int.MaxValue));
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: the header claims dimensions [2147483647, 2147483647, 2147483647] of UnsignedByte, more than the limit of * payload bytes*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Absurd_gzipped_header_within_the_hard_limit_is_rejected_by_the_configured_limit()
    {
        string path = Write("big.gz", IdxBytes.Gzip(IdxBytes.Header(0x00000801, 500_000_000)));
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action read = () => IdxReader.Read(path, maxPayloadBytes: 100_000_000);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: the header claims dimensions [500000000]*limit of 100000000 payload bytes*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1 << 20);
    }

    [Fact]
    public void Dimension_sizes_above_int32_are_rejected()
    {
        string path = Write("neg.idx", [.. IdxBytes.Header(0x00000801, -1)]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: dimension 0 has an absurd size 4294967295*");
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        string path = Write("header.idx", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0]);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"{path}: header truncated: expected 3 dimension sizes (12 bytes), found 6 bytes.");
    }

    [Fact]
    public void Empty_file_is_reported_as_too_short()
    {
        string path = Write("empty.idx", []);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: too short for an IDX header*found 0.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_after_the_payload_are_rejected(bool compressed)
    {
        byte[] raw = [.. IdxBytes.UnsignedBytes([4], [1, 2, 3, 4]), 9, 9, 9];
        string path = Write("long.idx", compressed ? IdxBytes.Gzip(raw) : raw);

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"{path}: 3 unexpected byte(s) after the 4-byte payload*");
    }

    [Fact]
    public void Missing_file_is_a_file_not_found_error_with_the_path()
    {
        string path = _temp.File("nope.gz");

        Action read = () => IdxReader.Read(path);

        read.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }
}
