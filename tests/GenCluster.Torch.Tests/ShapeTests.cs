using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Views, shape manipulation, indexing, joining and matrix products.</summary>
public class ShapeTests
{
    private static readonly double[] X = T.Doubles(24, 10);

    private static Nd Ref => new(X, 2, 3, 4);

    private static Tensor Input => T.F64(X, 2, 3, 4);

    [Fact]
    public void Reshape_keeps_row_major_order_and_infers_one_size()
    {
        using var scope = NewDisposeScope();
        var r = Input.reshape(4, -1);
        r.ShouldEqual(X, [4, 6], 0, 0);
        Input.reshape(24).ShouldEqual(X, [24], 0, 0);
        // reshape of a non-contiguous tensor copies in logical order
        var transposed = Input.transpose(0, 2).reshape(-1);
        transposed.ShouldEqual(Ref.Permute(2, 1, 0).Data, [24], 0, 0);
    }

    [Fact]
    public void View_shares_storage_with_its_base()
    {
        using var scope = NewDisposeScope();
        var a = T.F64(X, 2, 3, 4);
        var v = a.view(6, 4);
        v.ShouldEqual(X, [6, 4], 0, 0);
        v.fill_(1);
        a.Values().Should().OnlyContain(x => x == 1);
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 0, 1)]
    [InlineData(1, 2, 0)]
    [InlineData(2, 1, 0)]
    public void Permute_reorders_dimensions(int d0, int d1, int d2)
    {
        using var scope = NewDisposeScope();
        var expected = Ref.Permute(d0, d1, d2);
        Input.permute(d0, d1, d2).ShouldEqual(expected.Data, expected.LongShape, 0, 0);
    }

    [Fact]
    public void Transpose_and_t_swap_dimensions()
    {
        using var scope = NewDisposeScope();
        var expected = Ref.Permute(0, 2, 1);
        Input.transpose(1, 2).ShouldEqual(expected.Data, [2, 4, 3], 0, 0);
        Input.transpose(-1, -2).ShouldEqual(expected.Data, [2, 4, 3], 0, 0);
        var m = new Nd(X.Take(6).ToArray(), 2, 3);
        T.F64(m.Data, 2, 3).t().ShouldEqual(m.Permute(1, 0).Data, [3, 2], 0, 0);
    }

    [Fact]
    public void Expand_repeats_singleton_dimensions_without_copying()
    {
        using var scope = NewDisposeScope();
        var col = T.F64([1, 2, 3], 3, 1);
        var e = col.expand(2, 3, 4);
        var expected = Enumerable.Range(0, 24).Select(i => (double)(((i / 4) % 3) + 1)).ToArray();
        e.ShouldEqual(expected, [2, 3, 4], 0, 0);
        col.expand(-1, 2).ShouldEqual([1, 1, 2, 2, 3, 3], [3, 2], 0, 0);
        col.fill_(7);
        e.Values().Should().OnlyContain(v => v == 7, "expand is a view");
    }

    [Fact]
    public void Flatten_merges_a_range_of_dimensions()
    {
        using var scope = NewDisposeScope();
        Input.flatten().ShouldEqual(X, [24], 0, 0);
        Input.flatten(1).ShouldEqual(X, [2, 12], 0, 0);
        Input.flatten(0, 1).ShouldEqual(X, [6, 4], 0, 0);
        Input.flatten(-2, -1).ShouldEqual(X, [2, 12], 0, 0);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_remove_and_insert_singletons()
    {
        using var scope = NewDisposeScope();
        var t = T.F64(X.Take(6).ToArray(), 3, 1, 2);
        t.squeeze(1).ShouldEqual(X.Take(6).ToArray(), [3, 2], 0, 0);
        t.squeeze(0).shape.Should().Equal(3, 1, 2); // not a singleton: unchanged, as in PyTorch
        t.unsqueeze(0).shape.Should().Equal(1, 3, 1, 2);
        t.unsqueeze(-1).ShouldEqual(X.Take(6).ToArray(), [3, 1, 2, 1], 0, 0);
    }

    [Fact]
    public void Narrow_slice_and_select_pick_sub_tensors()
    {
        using var scope = NewDisposeScope();
        var nd = Ref;

        var narrow = Input.narrow(2, 1, 2);
        var expectedNarrow = Nd.Indices([2, 3, 2]).Select(i => nd[i[0], i[1], i[2] + 1]).ToArray();
        narrow.ShouldEqual(expectedNarrow, [2, 3, 2], 0, 0);

        var slice = Input.slice(2, 0, 4, 2);
        var expectedSlice = Nd.Indices([2, 3, 2]).Select(i => nd[i[0], i[1], i[2] * 2]).ToArray();
        slice.ShouldEqual(expectedSlice, [2, 3, 2], 0, 0);

        var clampedEnd = Input.slice(1, 1, long.MaxValue); // Python's a[:, 1:]
        var expectedClamped = Nd.Indices([2, 2, 4]).Select(i => nd[i[0], i[1] + 1, i[2]]).ToArray();
        clampedEnd.ShouldEqual(expectedClamped, [2, 2, 4], 0, 0);

        var select = Input.select(1, 2);
        var expectedSelect = Nd.Indices([2, 4]).Select(i => nd[i[0], 2, i[1]]).ToArray();
        select.ShouldEqual(expectedSelect, [2, 4], 0, 0);
        Input.select(0, -1).ShouldEqual(X.Skip(12).ToArray(), [3, 4], 0, 0);

        var a = T.F64(X, 2, 3, 4);
        a.narrow(0, 1, 1).fill_(0); // a view: writes through
        a.Values().Skip(12).Should().OnlyContain(v => v == 0);
        a.Values().Take(12).Should().Equal(X.Take(12));
    }

    [Fact]
    public void Index_select_gathers_entries_with_repeats()
    {
        using var scope = NewDisposeScope();
        var nd = Ref;
        long[] idx = [3, 0, 3];
        var r = Input.index_select(2, T.I64(idx));
        var expected = Nd.Indices([2, 3, 3]).Select(i => nd[i[0], i[1], (int)idx[i[2]]]).ToArray();
        r.ShouldEqual(expected, [2, 3, 3], 0, 0);

        var int32Index = tensor(new[] { 1, 0 });
        var rows = Input.index_select(0, int32Index);
        rows.ShouldEqual(X.Skip(12).Concat(X.Take(12)).ToArray(), [2, 3, 4], 0, 0);
    }

    [Fact]
    public void Cat_concatenates_along_an_existing_dimension()
    {
        using var scope = NewDisposeScope();
        var a = T.F64(X.Take(6).ToArray(), 2, 3);
        var b = T.F64(X.Skip(6).Take(3).ToArray(), 1, 3);
        cat([a, b]).ShouldEqual(X.Take(9).ToArray(), [3, 3], 0, 0);

        var c = T.F64(X.Skip(10).Take(4).ToArray(), 2, 2);
        var joined = cat([a, c], 1);
        var expected = new[] { X[0], X[1], X[2], X[10], X[11], X[3], X[4], X[5], X[12], X[13] };
        joined.ShouldEqual(expected, [2, 5], 0, 0);
        cat([a], -1).ShouldEqual(X.Take(6).ToArray(), [2, 3], 0, 0);
    }

    [Fact]
    public void Stack_adds_a_new_dimension()
    {
        using var scope = NewDisposeScope();
        var a = T.F64(X.Take(6).ToArray(), 2, 3);
        var b = T.F64(X.Skip(6).Take(6).ToArray(), 2, 3);
        stack([a, b]).ShouldEqual(X.Take(12).ToArray(), [2, 2, 3], 0, 0);
        var inner = stack([a, b], 2);
        var expected = Nd.Indices([2, 3, 2]).Select(i => X[(i[2] * 6) + (i[0] * 3) + i[1]]).ToArray();
        inner.ShouldEqual(expected, [2, 3, 2], 0, 0);
    }

    [Fact]
    public void Matmul_and_mm_compute_matrix_products()
    {
        using var scope = NewDisposeScope();
        var a = T.Doubles(12, 20);
        var b = T.Doubles(20, 21);
        var expected = Reference.MatMul(a, b, 3, 4, 5);
        T.F64(a, 3, 4).matmul(T.F64(b, 4, 5)).ShouldEqual(expected, [3, 5], 1e-12);
        T.F64(a, 3, 4).mm(T.F64(b, 4, 5)).ShouldEqual(expected, [3, 5], 1e-12);
        matmul(T.F64(a, 3, 4), T.F64(b, 4, 5)).ShouldEqual(expected, [3, 5], 1e-12);

        // float32 goes through BLAS sgemm
        T.F32(a.ToFloats(), 3, 4).mm(T.F32(b.ToFloats(), 4, 5)).Values().ShouldBeClose(expected, 1e-5, 1e-5);

        // matrix · vector
        var v = b.Take(4).ToArray();
        T.F64(a, 3, 4).matmul(T.F64(v)).ShouldEqual(Reference.MatMul(a, v, 3, 4, 1), [3], 1e-12);

        // batched [2,3,4] · [4,2]: each batch separately
        var batch = T.Doubles(24, 22);
        var w = T.Doubles(8, 23);
        var batched = T.F64(batch, 2, 3, 4).matmul(T.F64(w, 4, 2));
        var expectedBatched = Reference.MatMul(batch.Take(12).ToArray(), w, 3, 4, 2)
            .Concat(Reference.MatMul(batch.Skip(12).ToArray(), w, 3, 4, 2)).ToArray();
        batched.ShouldEqual(expectedBatched, [2, 3, 2], 1e-12);
    }
}
