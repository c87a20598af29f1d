using GenCluster.Torch.Interop;

namespace GenCluster.Torch;

// Element-wise arithmetic, comparisons and math, with PyTorch broadcasting.
public sealed partial class Tensor
{
    /// <summary><c>this + alpha * other</c>.</summary>
    public Tensor add(Tensor other, double alpha = 1) => NativeResult.Tensor(NativeMethods.gct_add(Handle, other.Handle, alpha));

    /// <summary><c>this + value</c>.</summary>
    public Tensor add(double value) => NativeResult.Tensor(NativeMethods.gct_add_scalar(Handle, value));

    /// <summary><c>this - alpha * other</c>.</summary>
    public Tensor sub(Tensor other, double alpha = 1) => NativeResult.Tensor(NativeMethods.gct_sub(Handle, other.Handle, alpha));

    /// <summary><c>this - value</c>.</summary>
    public Tensor sub(double value) => NativeResult.Tensor(NativeMethods.gct_sub_scalar(Handle, value));

    public Tensor mul(Tensor other) => NativeResult.Tensor(NativeMethods.gct_mul(Handle, other.Handle));

    public Tensor mul(double value) => NativeResult.Tensor(NativeMethods.gct_mul_scalar(Handle, value));

    public Tensor div(Tensor other) => NativeResult.Tensor(NativeMethods.gct_div(Handle, other.Handle));

    public Tensor div(double value) => NativeResult.Tensor(NativeMethods.gct_div_scalar(Handle, value));

    public Tensor pow(Tensor exponent) => NativeResult.Tensor(NativeMethods.gct_pow(Handle, exponent.Handle));

    public Tensor pow(double exponent) => NativeResult.Tensor(NativeMethods.gct_pow_scalar(Handle, exponent));

    public Tensor maximum(Tensor other) => NativeResult.Tensor(NativeMethods.gct_maximum(Handle, other.Handle));

    public Tensor minimum(Tensor other) => NativeResult.Tensor(NativeMethods.gct_minimum(Handle, other.Handle));

    public Tensor neg() => NativeResult.Tensor(NativeMethods.gct_neg(Handle));

    public Tensor abs() => NativeResult.Tensor(NativeMethods.gct_abs(Handle));

    public Tensor exp() => NativeResult.Tensor(NativeMethods.gct_exp(Handle));

    public Tensor log() => NativeResult.Tensor(NativeMethods.gct_log(Handle));

    public Tensor sqrt() => NativeResult.Tensor(NativeMethods.gct_sqrt(Handle));

    public Tensor square() => NativeResult.Tensor(NativeMethods.gct_square(Handle));

    public Tensor sin() => NativeResult.Tensor(NativeMethods.gct_sin(Handle));

    public Tensor cos() => NativeResult.Tensor(NativeMethods.gct_cos(Handle));

    public Tensor sign() => NativeResult.Tensor(NativeMethods.gct_sign(Handle));

    public Tensor clamp(double min, double max) => NativeResult.Tensor(NativeMethods.gct_clamp(Handle, min, max));

    public Tensor relu() => NativeResult.Tensor(NativeMethods.gct_relu(Handle));

    public Tensor tanh() => NativeResult.Tensor(NativeMethods.gct_tanh(Handle));

    public Tensor sigmoid() => NativeResult.Tensor(NativeMethods.gct_sigmoid(Handle));

    public Tensor eq(Tensor other) => NativeResult.Tensor(NativeMethods.gct_eq(Handle, other.Handle));

    public Tensor eq(double value) => NativeResult.Tensor(NativeMethods.gct_eq_scalar(Handle, value));

    public Tensor ne(Tensor other) => NativeResult.Tensor(NativeMethods.gct_ne(Handle, other.Handle));

    public Tensor gt(Tensor other) => NativeResult.Tensor(NativeMethods.gct_gt(Handle, other.Handle));

    public Tensor gt(double value) => NativeResult.Tensor(NativeMethods.gct_gt_scalar(Handle, value));

    public Tensor ge(Tensor other) => NativeResult.Tensor(NativeMethods.gct_ge(Handle, other.Handle));

    public Tensor lt(Tensor other) => NativeResult.Tensor(NativeMethods.gct_lt(Handle, other.Handle));

    public Tensor lt(double value) => NativeResult.Tensor(NativeMethods.gct_lt_scalar(Handle, value));

    public Tensor le(Tensor other) => NativeResult.Tensor(NativeMethods.gct_le(Handle, other.Handle));

    /// <summary>Whether both tensors have the same shape and elements.</summary>
    public bool equal(Tensor other)
    {
        NativeResult.Check(NativeMethods.gct_equal(Handle, other.Handle, out var equal));
        return equal != 0;
    }

    /// <summary><c>|this - other| &lt;= atol + rtol * |other|</c> element-wise, for all elements.</summary>
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        NativeResult.Check(NativeMethods.gct_allclose(Handle, other.Handle, rtol, atol, out var close));
        return close != 0;
    }

    /// <summary>In place: <c>this += alpha * other</c>.</summary>
    public Tensor add_(Tensor other, double alpha = 1)
    {
        NativeResult.Check(NativeMethods.gct_add_(Handle, other.Handle, alpha));
        return this;
    }

    public Tensor add_(double value)
    {
        NativeResult.Check(NativeMethods.gct_add_scalar_(Handle, value));
        return this;
    }

    public Tensor mul_(Tensor other)
    {
        NativeResult.Check(NativeMethods.gct_mul_(Handle, other.Handle));
        return this;
    }

    public Tensor mul_(double value)
    {
        NativeResult.Check(NativeMethods.gct_mul_scalar_(Handle, value));
        return this;
    }

    /// <summary>In place: copies <paramref name="source"/>'s elements (broadcast, cast, across devices).</summary>
    public Tensor copy_(Tensor source)
    {
        NativeResult.Check(NativeMethods.gct_copy_(Handle, source.Handle));
        return this;
    }

    public Tensor fill_(double value)
    {
        NativeResult.Check(NativeMethods.gct_fill_(Handle, value));
        return this;
    }

    public Tensor zero_()
    {
        NativeResult.Check(NativeMethods.gct_zero_(Handle));
        return this;
    }

    /// <summary>In place: fills with samples of N(mean, std²).</summary>
    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        NativeResult.Check(NativeMethods.gct_normal_(Handle, mean, std, Generator.HandleOrNull(generator)));
        return this;
    }

    /// <summary>In place: fills with samples of U(from, to).</summary>
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        NativeResult.Check(NativeMethods.gct_uniform_(Handle, from, to, Generator.HandleOrNull(generator)));
        return this;
    }

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);

    public static Tensor operator +(Tensor a, double b) => a.add(b);

    public static Tensor operator +(double a, Tensor b) => b.add(a);

    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);

    public static Tensor operator -(Tensor a, double b) => a.sub(b);

    public static Tensor operator -(double a, Tensor b) => NativeResult.Tensor(NativeMethods.gct_rsub_scalar(b.Handle, a));

    public static Tensor operator -(Tensor a) => a.neg();

    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);

    public static Tensor operator *(Tensor a, double b) => a.mul(b);

    public static Tensor operator *(double a, Tensor b) => b.mul(a);

    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);

    public static Tensor operator /(Tensor a, double b) => a.div(b);
}
