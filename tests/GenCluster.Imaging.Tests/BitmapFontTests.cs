namespace GenCluster.Imaging.Tests;

public class BitmapFontTests
{
    private static string Bitmap(char c)
    {
        var chars = new char[BitmapFont.GlyphWidth * BitmapFont.CellHeight];
        for (var row = 0; row < BitmapFont.CellHeight; row++)
        {
            for (var column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                chars[(row * BitmapFont.GlyphWidth) + column] = BitmapFont.IsInk(c, column, row) ? '#' : '.';
            }
        }

        return new string(chars);
    }

    [Fact]
    public void Every_printable_ascii_character_has_its_own_distinct_glyph()
    {
        var printable = Enumerable.Range(32, 95).Select(i => (char)i).ToList();

        printable.Should().OnlyContain(c => BitmapFont.HasGlyph(c));
        printable.Select(Bitmap).Should().OnlyHaveUniqueItems();
        printable.Where(c => c != ' ').Should().OnlyContain(c => Bitmap(c).Contains('#'));
        Bitmap(' ').Should().NotContain("#");
    }

    [Fact]
    public void Digit_one_has_the_expected_shape()
    {
        Bitmap('1')[..(7 * 5)].Should().Be("..#.." + ".##.." + "..#.." + "..#.." + "..#.." + "..#.." + ".###.");
    }

    [Fact]
    public void Only_descender_letters_reach_below_the_baseline()
    {
        var below = Enumerable.Range(32, 95).Select(i => (char)i)
            .Where(c => Bitmap(c)[(BitmapFont.CapHeight * BitmapFont.GlyphWidth)..].Contains('#'));

        below.Should().BeEquivalentTo(['g', 'j', 'p', 'q', 'y']);
    }

    [Fact]
    public void Unsupported_characters_render_as_question_marks_one_per_scalar()
    {
        BitmapFont.Normalize("é\t😀x").Should().Be("???x");
        BitmapFont.HasGlyph('é').Should().BeFalse();
        Bitmap('é').Should().Be(Bitmap('?'));
    }

    [Theory]
    [InlineData("", 1, 0)]
    [InlineData("a", 1, 5)]
    [InlineData("ab", 1, 11)]
    [InlineData("abc", 2, 34)]
    public void Width_counts_advances_without_a_trailing_gap(string text, int scale, int expected)
    {
        BitmapFont.MeasureWidth(text, scale).Should().Be(expected);
    }
}
