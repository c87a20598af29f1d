using System.Text;

namespace GenCluster.Imaging;

/// <summary>
/// A 5×7 pixel bitmap font for printable ASCII (32–126), drawn for this project. Lower-case
/// g, j, p, q, y have two extra descender rows, so a glyph cell is 5×9 and the advance is 6.
/// Characters outside printable ASCII render as '?'.
/// </summary>
internal static class BitmapFont
{
    /// <summary>Width of a glyph's ink box.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Horizontal distance from one glyph to the next (glyph plus one column of space).</summary>
    public const int Advance = 6;

    /// <summary>Height of capitals and digits; the baseline is below this row.</summary>
    public const int CapHeight = 7;

    /// <summary>Height of a glyph cell including descenders.</summary>
    public const int CellHeight = 9;

    private const char First = ' ';
    private const char Last = '~';

    // One string per glyph, rows separated by spaces, '#' = ink. Rows 8 and 9 (descenders) are optional.
    private static readonly string[] Source =
    [
        /*   */ "..... ..... ..... ..... ..... ..... .....",
        /* ! */ "..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..",
        /* " */ ".#.#. .#.#. ..... ..... ..... ..... .....",
        /* # */ ".#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.",
        /* $ */ "..#.. .#### #.#.. .###. ..#.# ####. ..#..",
        /* % */ "##... ##..# ...#. ..#.. .#... #..## ...##",
        /* & */ ".##.. #..#. #.#.. .#... #.#.# #..#. .##.#",
        /* ' */ "..#.. ..#.. .#... ..... ..... ..... .....",
        /* ( */ "...#. ..#.. .#... .#... .#... ..#.. ...#.",
        /* ) */ ".#... ..#.. ...#. ...#. ...#. ..#.. .#...",
        /* * */ "..... ..#.. #.#.# .###. #.#.# ..#.. .....",
        /* + */ "..... ..#.. ..#.. ##### ..#.. ..#.. .....",
        /* , */ "..... ..... ..... ..... .##.. ..#.. .#...",
        /* - */ "..... ..... ..... .###. ..... ..... .....",
        /* . */ "..... ..... ..... ..... ..... .##.. .##..",
        /* / */ "..... ....# ...#. ..#.. .#... #.... .....",
        /* 0 */ ".###. #...# #..## #.#.# ##..# #...# .###.",
        /* 1 */ "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* 2 */ ".###. #...# ....# ...#. ..#.. .#... #####",
        /* 3 */ "##### ...#. ..#.. ...#. ....# #...# .###.",
        /* 4 */ "...#. ..##. .#.#. #..#. ##### ...#. ...#.",
        /* 5 */ "##### #.... ####. ....# ....# #...# .###.",
        /* 6 */ "..##. .#... #.... ####. #...# #...# .###.",
        /* 7 */ "##### ....# ...#. ..#.. .#... .#... .#...",
        /* 8 */ ".###. #...# #...# .###. #...# #...# .###.",
        /* 9 */ ".###. #...# #...# .#### ....# ...#. .##..",
        /* : */ "..... .##.. .##.. ..... .##.. .##.. .....",
        /* ; */ "..... .##.. .##.. ..... .##.. ..#.. .#...",
        /* < */ "...#. ..#.. .#... #.... .#... ..#.. ...#.",
        /* = */ "..... ..... ##### ..... ##### ..... .....",
        /* > */ ".#... ..#.. ...#. ....# ...#. ..#.. .#...",
        /* ? */ ".###. #...# ....# ...#. ..#.. ..... ..#..",
        /* @ */ ".###. #...# ....# .##.# #.#.# #.#.# .###.",
        /* A */ ".###. #...# #...# ##### #...# #...# #...#",
        /* B */ "####. #...# #...# ####. #...# #...# ####.",
        /* C */ ".###. #...# #.... #.... #.... #...# .###.",
        /* D */ "###.. #..#. #...# #...# #...# #..#. ###..",
        /* E */ "##### #.... #.... ####. #.... #.... #####",
        /* F */ "##### #.... #.... ####. #.... #.... #....",
        /* G */ ".###. #...# #.... #.### #...# #...# .####",
        /* H */ "#...# #...# #...# ##### #...# #...# #...#",
        /* I */ ".###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* J */ "..### ...#. ...#. ...#. ...#. #..#. .##..",
        /* K */ "#...# #..#. #.#.. ##... #.#.. #..#. #...#",
        /* L */ "#.... #.... #.... #.... #.... #.... #####",
        /* M */ "#...# ##.## #.#.# #.#.# #...# #...# #...#",
        /* N */ "#...# #...# ##..# #.#.# #..## #...# #...#",
        /* O */ ".###. #...# #...# #...# #...# #...# .###.",
        /* P */ "####. #...# #...# ####. #.... #.... #....",
        /* Q */ ".###. #...# #...# #...# #.#.# #..#. .##.#",
        /* R */ "####. #...# #...# ####. #.#.. #..#. #...#",
        /* S */ ".#### #.... #.... .###. ....# ....# ####.",
        /* T */ "##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* U */ "#...# #...# #...# #...# #...# #...# .###.",
        /* V */ "#...# #...# #...# #...# #...# .#.#. ..#..",
        /* W */ "#...# #...# #...# #.#.# #.#.# #.#.# .#.#.",
        /* X */ "#...# #...# .#.#. ..#.. .#.#. #...# #...#",
        /* Y */ "#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..",
        /* Z */ "##### ....# ...#. ..#.. .#... #.... #####",
        /* [ */ ".###. .#... .#... .#... .#... .#... .###.",
        /* \ */ "..... #.... .#... ..#.. ...#. ....# .....",
        /* ] */ ".###. ...#. ...#. ...#. ...#. ...#. .###.",
        /* ^ */ "..#.. .#.#. #...# ..... ..... ..... .....",
        /* _ */ "..... ..... ..... ..... ..... ..... #####",
        /* ` */ ".#... ..#.. ..... ..... ..... ..... .....",
        /* a */ "..... ..... .###. ....# .#### #...# .####",
        /* b */ "#.... #.... #.##. ##..# #...# #...# ####.",
        /* c */ "..... ..... .###. #.... #.... #...# .###.",
        /* d */ "....# ....# .##.# #..## #...# #...# .####",
        /* e */ "..... ..... .###. #...# ##### #.... .###.",
        /* f */ "..##. .#..# .#... ###.. .#... .#... .#...",
        /* g */ "..... ..... .#### #...# #...# #..## .##.# ....# .###.",
        /* h */ "#.... #.... #.##. ##..# #...# #...# #...#",
        /* i */ "..#.. ..... .##.. ..#.. ..#.. ..#.. .###.",
        /* j */ "...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..",
        /* k */ "#.... #.... #..#. #.#.. ##... #.#.. #..#.",
        /* l */ ".##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.",
        /* m */ "..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#",
        /* n */ "..... ..... #.##. ##..# #...# #...# #...#",
        /* o */ "..... ..... .###. #...# #...# #...# .###.",
        /* p */ "..... ..... ####. #...# #...# #...# ####. #.... #....",
        /* q */ "..... ..... .#### #...# #...# #...# .#### ....# ....#",
        /* r */ "..... ..... #.##. ##..# #.... #.... #....",
        /* s */ "..... ..... .###. #.... .###. ....# ####.",
        /* t */ ".#... .#... ###.. .#... .#... .#..# ..##.",
        /* u */ "..... ..... #...# #...# #...# #..## .##.#",
        /* v */ "..... ..... #...# #...# #...# .#.#. ..#..",
        /* w */ "..... ..... #...# #...# #.#.# #.#.# .#.#.",
        /* x */ "..... ..... #...# .#.#. ..#.. .#.#. #...#",
        /* y */ "..... ..... #...# #...# #...# #...# .#### ....# .###.",
        /* z */ "..... ..... ##### ...#. ..#.. .#... #####",
        /* { */ "...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.",
        /* | */ "..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..",
        /* } */ ".#... ..#.. ..#.. ...#. ..#.. ..#.. .#...",
        /* ~ */ "..... ..... .#... #.#.# ...#. ..... .....",
    ];

    // Glyph rows as 5-bit masks, bit 4 = leftmost column; CellHeight rows per glyph.
    private static readonly byte[] Rows = Compile();

    /// <summary>Whether <paramref name="c"/> has its own glyph (otherwise it renders as '?').</summary>
    public static bool HasGlyph(char c) => c is >= First and <= Last;

    /// <summary>Whether the pixel at (<paramref name="column"/>, <paramref name="row"/>) of a glyph is ink.</summary>
    public static bool IsInk(char c, int column, int row)
    {
        if ((uint)column >= GlyphWidth || (uint)row >= CellHeight)
        {
            return false;
        }

        var index = (HasGlyph(c) ? c : '?') - First;
        return (Rows[(index * CellHeight) + row] & (1 << (GlyphWidth - 1 - column))) != 0;
    }

    /// <summary>The characters as the font draws them: one per Unicode scalar, unsupported ones as '?'.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(rune.Value is >= First and <= Last ? (char)rune.Value : '?');
        }

        return builder.ToString();
    }

    /// <summary>Width in pixels of <paramref name="text"/> at integer <paramref name="scale"/> (no trailing gap).</summary>
    public static int MeasureWidth(string text, int scale)
    {
        var n = Normalize(text).Length;
        return n == 0 ? 0 : ((n * Advance) - 1) * scale;
    }

    private static byte[] Compile()
    {
        if (Source.Length != Last - First + 1)
        {
            throw new InvalidOperationException($"The font defines {Source.Length} glyphs; printable ASCII has {Last - First + 1}.");
        }

        var rows = new byte[Source.Length * CellHeight];
        for (var g = 0; g < Source.Length; g++)
        {
            var lines = Source[g].Split(' ');
            if (lines.Length is not (CapHeight or CellHeight))
            {
                throw new InvalidOperationException($"Glyph '{(char)(First + g)}' has {lines.Length} rows.");
            }

            for (var r = 0; r < lines.Length; r++)
            {
                if (lines[r].Length != GlyphWidth)
                {
                    throw new InvalidOperationException($"Glyph '{(char)(First + g)}' row {r} is not {GlyphWidth} wide.");
                }

                byte mask = 0;
                for (var c = 0; c < GlyphWidth; c++)
                {
                    mask = (byte)((mask << 1) | (lines[r][c] == '#' ? 1 : 0));
                }

                rows[(g * CellHeight) + r] = mask;
            }
        }

        return rows;
    }
}
