using System.Text;

namespace GenCluster.Imaging.Tests;

public class Crc32Tests
{
    [Fact]
    public void Check_value_of_123456789_is_CBF43926()
    {
        Crc32.Compute("123456789"u8).Should().Be(0xCBF43926u);
    }

    [Fact]
    public void Empty_input_has_crc_zero()
    {
        Crc32.Compute([]).Should().Be(0u);
    }

    [Fact]
    public void Crc_of_the_IEND_chunk_type_matches_every_png_file()
    {
        // Every PNG ends with 00 00 00 00 'IEND' AE 42 60 82.
        Crc32.Compute("IEND"u8).Should().Be(0xAE426082u);
    }

    [Fact]
    public void Crc_of_pangram_matches_published_value()
    {
        Crc32.Compute(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog")).Should().Be(0x414FA339u);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1000, 1)]
    [InlineData(4097, 2)]
    public void Table_driven_crc_matches_bitwise_reference(int length, int seed)
    {
        var data = TestImages.Random(length, seed);
        Crc32.Compute(data).Should().Be(TestPngDecoder.BitwiseCrc32(data));
    }

    [Fact]
    public void Incremental_append_equals_one_shot()
    {
        var data = TestImages.Random(777, 3);
        foreach (var split in new[] { 0, 1, 100, 776, 777 })
        {
            var register = Crc32.Append(Crc32.Start, data.AsSpan(0, split));
            register = Crc32.Append(register, data.AsSpan(split));
            Crc32.Finish(register).Should().Be(Crc32.Compute(data), $"split at {split}");
        }
    }
}
