namespace GenCluster.Imaging.Tests;

public class ImageGridTests
{
    [Fact]
    public void Sixty_four_28x28_samples_make_an_8x8_grid_with_2px_padding()
    {
        var grid = ImageGrid.Build(new float[64 * 28 * 28], 64, 28, 28);

        grid.Width.Should().Be((8 * (28 + 2)) + 2);
        grid.Height.Should().Be((8 * (28 + 2)) + 2);
        grid.Pixels.Length.Should().Be(242 * 242);
    }

    [Fact]
    public void Each_tile_lands_at_its_row_and_column_and_padding_shows_the_background()
    {
        const int n = 6, h = 3, w = 4, columns = 3, padding = 2;
        var images = new float[n * h * w];
        for (var i = 0; i < n; i++)
        {
            // Tile i is a constant grey level: -1 + 0.3 i.
            Array.Fill(images, -1f + (0.3f * i), i * h * w, h * w);
        }

        var grid = ImageGrid.Build(images, n, h, w, columns, padding, background: 77);

        grid.Width.Should().Be((columns * (w + padding)) + padding);
        grid.Height.Should().Be((2 * (h + padding)) + padding);
        for (var y = 0; y < grid.Height; y++)
        {
            for (var x = 0; x < grid.Width; x++)
            {
                var cx = (x - padding) % (w + padding);
                var cy = (y - padding) % (h + padding);
                var inTile = x >= padding && y >= padding && cx < w && cy < h;
                var expected = inTile
                    ? ImageGrid.ToByte(-1f + (0.3f * ((((y - padding) / (h + padding)) * columns) + ((x - padding) / (w + padding)))))
                    : (byte)77;
                grid[x, y].Should().Be(expected, $"pixel ({x}, {y})");
            }
        }
    }

    [Fact]
    public void Pixels_keep_their_orientation_inside_a_tile()
    {
        const int h = 5, w = 7;
        var images = Enumerable.Repeat(-1f, 4 * h * w).ToArray();
        images[(3 * h * w) + (4 * w) + 6] = 1f; // image 3, row 4, column 6

        var grid = ImageGrid.Build(images, 4, h, w, columns: 2, padding: 1);

        var left = 1 + (1 * (w + 1));
        var top = 1 + (1 * (h + 1));
        grid[left + 6, top + 4].Should().Be(255);
        grid.Pixels.Count(p => p == 255).Should().Be(1);
    }

    [Theory]
    [InlineData(-1f, 0)]
    [InlineData(1f, 255)]
    [InlineData(0f, 128)]
    [InlineData(0.5f, 191)]
    [InlineData(-0.5f, 64)]
    [InlineData(3f, 255)]
    [InlineData(-7f, 0)]
    [InlineData(float.PositiveInfinity, 255)]
    [InlineData(float.NegativeInfinity, 0)]
    [InlineData(float.NaN, 0)]
    public void Values_map_from_minus_one_to_one_onto_0_to_255_with_clamping(float value, byte expected)
    {
        var grid = ImageGrid.Build([value], 1, 1, 1, padding: 0);

        grid.Pixels.Should().Equal(expected);
    }

    [Fact]
    public void Default_columns_are_the_ceiling_of_the_square_root_and_empty_cells_stay_background()
    {
        var grid = ImageGrid.Build(Enumerable.Repeat(1f, 5 * 2 * 2).ToArray(), 5, 2, 2, padding: 1);

        // ceil(sqrt(5)) = 3 columns, 2 rows; the sixth cell is empty.
        grid.Width.Should().Be((3 * 3) + 1);
        grid.Height.Should().Be((2 * 3) + 1);
        grid[1 + 6, 1 + 3].Should().Be(0);
        grid[1 + 3, 1 + 3].Should().Be(255);
    }

    [Fact]
    public void More_columns_than_images_collapses_to_one_row()
    {
        var grid = ImageGrid.Build(new float[2 * 4], 2, 2, 2, columns: 10, padding: 0);

        grid.Width.Should().Be(4);
        grid.Height.Should().Be(2);
    }

    [Fact]
    public void Save_png_writes_the_grid()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gencluster-grid-{Guid.NewGuid():N}.png");
        var images = Enumerable.Range(0, 4 * 3 * 3).Select(i => (i % 7 / 3f) - 1f).ToArray();
        try
        {
            ImageGrid.SavePng(path, images, 4, 3, 3);

            var decoded = TestPngDecoder.Decode(File.ReadAllBytes(path));
            decoded.ColorType.Should().Be(0);
            decoded.Pixels.Should().Equal(ImageGrid.Build(images, 4, 3, 3).Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Wrong_length_is_rejected_with_the_arithmetic_in_the_message()
    {
        var act = () => ImageGrid.Build(new float[100], 2, 7, 7);

        act.Should().Throw<ArgumentException>().WithMessage("*2 * 7 * 7 = 98*100*").Which.ParamName.Should().Be("images");
    }

    [Theory]
    [InlineData(0, 2, 2, 0, 2)]
    [InlineData(1, 0, 2, 0, 2)]
    [InlineData(1, 2, -1, 0, 2)]
    [InlineData(1, 2, 2, -1, 2)]
    [InlineData(1, 2, 2, 0, -1)]
    public void Out_of_range_sizes_are_rejected(int count, int height, int width, int columns, int padding)
    {
        var act = () => ImageGrid.Build(new float[4], count, height, width, columns, padding);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
