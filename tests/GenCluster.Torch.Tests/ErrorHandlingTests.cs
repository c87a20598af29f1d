using System.Runtime.InteropServices;
using GenCluster.Torch.Interop;
using static GenCluster.Torch.torch;
using F = GenCluster.Torch.torch.nn.functional;

namespace GenCluster.Torch.Tests;

/// <summary>
/// Invalid operations become C# exceptions carrying libtorch's message; the native last error
/// is per thread and cleared once thrown; the process survives many failures.
/// </summary>
public class ErrorHandlingTests
{
    private static string? PeekLastError() => Marshal.PtrToStringUTF8(NativeMethods.gct_last_error());

    [Fact]
    public void Shape_mismatches_throw_with_libtorch_messages()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => zeros([2, 3]).matmul(zeros([4, 5]))).Should().Throw<TorchException>()
            .WithMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        FluentActions.Invoking(() => zeros([2, 3]).mm(zeros([2, 3]))).Should().Throw<TorchException>()
            .WithMessage("*shapes cannot be multiplied (2x3 and 2x3)*");
        FluentActions.Invoking(() => zeros([2, 3]).add(zeros([2, 4]))).Should().Throw<TorchException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
        FluentActions.Invoking(() => zeros([2, 3]) * zeros([3, 2])).Should().Throw<TorchException>().WithMessage("*must match*");
        FluentActions.Invoking(() => zeros([2, 3]).view(4)).Should().Throw<TorchException>()
            .WithMessage("shape '[4]' is invalid for input of size 6");
        FluentActions.Invoking(() => zeros([2, 3]).t().view(6)).Should().Throw<TorchException>()
            .WithMessage("*view size is not compatible with input tensor's size and stride*");
        FluentActions.Invoking(() => zeros([2, 3]).reshape(-1, -1)).Should().Throw<TorchException>()
            .WithMessage("*only one dimension can be inferred*");
        FluentActions.Invoking(() => cat([zeros([2, 3]), zeros([2, 4])])).Should().Throw<TorchException>()
            .WithMessage("*Sizes of tensors must match except in dimension 0*");
        FluentActions.Invoking(() => F.conv2d(zeros([1, 2, 5, 5]), zeros([3, 4, 3, 3]))).Should().Throw<TorchException>()
            .WithMessage("*expected input[1, 2, 5, 5] to have 4 channels, but got 2 channels instead*");
        FluentActions.Invoking(() => F.linear(zeros([2, 3]), zeros([4, 5]))).Should().Throw<TorchException>()
            .WithMessage("*cannot be multiplied*");
        FluentActions.Invoking(() => zeros([2, 3]).expand(3, 3)).Should().Throw<TorchException>()
            .WithMessage("*expanded size*");
        FluentActions.Invoking(() => zeros([2, 3]).select(0, 5)).Should().Throw<TorchException>()
            .WithMessage("*index 5 out of range*");
        FluentActions.Invoking(() => zeros([2, 3]).narrow(1, 2, 2)).Should().Throw<TorchException>()
            .WithMessage("*exceeds dimension size*");
        FluentActions.Invoking(() => zeros([2, 3]).permute(0)).Should().Throw<TorchException>()
            .WithMessage("*does not match the length of the desired ordering of dimensions*");
        FluentActions.Invoking(() => zeros([2, 3]).transpose(0, 3)).Should().Throw<TorchException>()
            .WithMessage("*Dimension out of range*");
        FluentActions.Invoking(() => F.mse_loss(zeros([2, 3]), zeros([2, 4]))).Should().Throw<TorchException>()
            .WithMessage("*must match*");
        FluentActions.Invoking(() => zeros([6]).item<float>()).Should().Throw<TorchException>()
            .WithMessage("*6 elements cannot be converted to Scalar*");
    }

    [Fact]
    public void Wrong_dtypes_throw_with_libtorch_messages()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => zeros([2, 3]).matmul(zeros([3, 2], int64))).Should().Throw<TorchException>()
            .WithMessage("expected scalar type Float but found Long");
        FluentActions.Invoking(() => F.cross_entropy(zeros([2, 3]), zeros([2]))).Should().Throw<TorchException>()
            .WithMessage("expected scalar type Long but found Float");
        FluentActions.Invoking(() => zeros([2, 3]).index_select(0, zeros([2]))).Should().Throw<TorchException>()
            .WithMessage("index_select(): Expected dtype int32 or int64 for index");
        FluentActions.Invoking(() => F.embedding(zeros([2]), zeros([5, 3]))).Should().Throw<TorchException>()
            .WithMessage("*'indices' to have one of the following scalar types: Long, Int*");
        FluentActions.Invoking(() => F.linear(zeros([2, 3], float64), zeros([4, 3]))).Should().Throw<TorchException>()
            .WithMessage("*expected*Double*Float*");
        FluentActions.Invoking(() => where(zeros([2]), zeros([2]), zeros([2]))).Should().Throw<TorchException>()
            .WithMessage("*condition*bool*");
    }

    [Fact]
    public void Index_errors_throw_with_libtorch_messages()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => F.embedding(T.I64([7]), zeros([5, 3]))).Should().Throw<TorchException>()
            .WithMessage("*index out of range in self*");
        FluentActions.Invoking(() => zeros([2, 3]).index_select(0, T.I64([2]))).Should().Throw<TorchException>()
            .WithMessage("*out of range*");
        FluentActions.Invoking(() => F.cross_entropy(zeros([2, 3]), T.I64([0, 3]))).Should().Throw<TorchException>()
            .WithMessage("*out of bounds*");
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        using var scope = NewDisposeScope();
        FluentActions.Invoking(() => zeros([-1])).Should().Throw<TorchException>()
            .WithMessage("Trying to create tensor with negative dimension -1: [-1]");
        FluentActions.Invoking(() => tensor(new float[5], [2, 3])).Should().Throw<TorchException>()
            .WithMessage("buffer holds 20 bytes but shape [2, 3] of Float needs 24");
        FluentActions.Invoking(() => cat([])).Should().Throw<TorchException>().WithMessage("*non-empty list*");
        FluentActions.Invoking(() => stack([])).Should().Throw<TorchException>().WithMessage("*non-empty list*");
        FluentActions.Invoking(() => cat(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => F.dropout(zeros([2]), 1.5)).Should().Throw<TorchException>()
            .WithMessage("dropout probability must be in [0, 1], got 1.5*");
        FluentActions.Invoking(() => F.dropout(zeros([2]), -0.1)).Should().Throw<TorchException>();
        FluentActions.Invoking(() => arange(0, 10, 0)).Should().Throw<TorchException>().WithMessage("*step must be nonzero*");
        FluentActions.Invoking(() => randint(5, 5, [2])).Should().Throw<TorchException>().WithMessage("*random_ expects 'from' to be less than 'to'*");
        FluentActions.Invoking(() => zeros([2], (ScalarType)99)).Should().Throw<TorchException>().WithMessage("unsupported dtype code 99");
        FluentActions.Invoking(() => zeros([2]).to((ScalarType)8)).Should().Throw<TorchException>().WithMessage("unsupported dtype code 8");
        FluentActions.Invoking(() => zeros([2], device: new Device((DeviceType)7))).Should().Throw<TorchException>()
            .WithMessage("unsupported device type 7");
        FluentActions.Invoking(() => nn.init.calculate_fan_in_and_fan_out(zeros([3]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Null_native_handles_are_reported_not_dereferenced()
    {
        // The C# API never passes null handles for required tensors, but the shim must not crash if it gets one.
        NativeMethods.gct_neg(TensorHandle.Null).Should().Be(IntPtr.Zero);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        using var a = zeros([2]);
        NativeMethods.gct_add(a.Handle, TensorHandle.Null, 1).Should().Be(IntPtr.Zero);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        NativeMethods.gct_dim(TensorHandle.Null, out _).Should().Be(-1);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        NativeMethods.gct_backward(TensorHandle.Null, TensorHandle.Null, 0).Should().Be(-1);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        NativeMethods.gct_grad(TensorHandle.Null, out var defined).Should().Be(IntPtr.Zero);
        defined.Should().Be(-1);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        NativeMethods.gct_cat([a.Handle.DangerousGetHandle(), IntPtr.Zero], 2, 0).Should().Be(IntPtr.Zero);
        NativeResult.LastError().Message.Should().Be("null tensor handle");

        NativeMethods.gct_generator_seed(GeneratorHandle.Null, 1).Should().Be(-1);
        NativeResult.LastError().Message.Should().Be("null generator handle");

        unsafe
        {
            NativeMethods.gct_copy_to_buffer(a.Handle, null, 8).Should().Be(-1);
            NativeResult.LastError().Message.Should().Be("null data pointer");
            NativeMethods.gct_from_buffer(null, 8, [2], 1, (int)ScalarType.Float32, 0).Should().Be(IntPtr.Zero);
            NativeResult.LastError().Message.Should().Be("null data pointer");
        }

        NativeMethods.gct_reshape(a.Handle, [], -1).Should().Be(IntPtr.Zero);
        NativeResult.LastError().Message.Should().Be("negative array length");

        PeekLastError().Should().BeNull();
    }

    [Fact]
    public void Null_required_tensor_arguments_throw_instead_of_crashing()
    {
        using var scope = NewDisposeScope();
        var a = zeros([2]);
        static void ShouldThrowNullError(Action act) =>
            act.Should().Throw<Exception>().Which.Should().Match(e => e is ArgumentNullException || e is NullReferenceException);

        ShouldThrowNullError(() => a.add(null!));
        ShouldThrowNullError(() => a.matmul(null!));
        ShouldThrowNullError(() => cat([a, null!]));
        ShouldThrowNullError(() => F.linear(a, null!));
        ShouldThrowNullError(() => F.cross_entropy(a, null!));
        ShouldThrowNullError(() => a.index_select(0, null!));
        a.add(1).ToArray<float>().Should().Equal(1f, 1f);
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException()
    {
        var t = zeros([2, 2]);
        var other = ones([2, 2]);
        t.Dispose();
        t.IsDisposed.Should().BeTrue();
        t.Dispose(); // idempotent
        FluentActions.Invoking(() => t.add(other)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => other.add(t)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => t.shape).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => t.ToArray<float>()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => t.sum()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => t.grad).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => t.backward()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => cat([other, t])).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => F.linear(other, t)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => F.linear(other, other, t)).Should().Throw<ObjectDisposedException>();
        other.sum().item<float>().Should().Be(4, "a failed join releases the handles it acquired");
        other.Dispose();

        var generator = new Generator(1);
        generator.Dispose();
        FluentActions.Invoking(() => generator.manual_seed(2)).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => randn([2], generator: generator)).Should().Throw<ObjectDisposedException>();

        var layer = nn.Linear(2, 2);
        layer.Dispose();
        using var x = ones([1, 2]);
        FluentActions.Invoking(() => layer.forward(x)).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Last_error_is_cleared_after_being_thrown()
    {
        PeekLastError().Should().BeNull();
        using var a = zeros([2, 3]);
        using var b = zeros([4, 5]);
        FluentActions.Invoking(() => a.matmul(b)).Should().Throw<TorchException>();
        PeekLastError().Should().BeNull("the message moved into the exception");

        // a later success does not resurrect a message, and a later failure reports its own
        using var ok = a.add(a);
        PeekLastError().Should().BeNull();
        FluentActions.Invoking(() => a.view(7)).Should().Throw<TorchException>().WithMessage("shape '[7]' is invalid for input of size 6");
    }

    [Fact]
    public void Last_error_is_per_thread()
    {
        using var a = zeros([2, 3]);
        using var b = zeros([4, 5]);
        using var failed = new ManualResetEventSlim();
        using var checkedByOther = new ManualResetEventSlim();
        string? seenByOther = "not run";
        string? otherOwnError = null;
        string? ownAfterwards = null;
        string? ownAfterClear = "not run";
        Exception? failure = null;

        // Thread A fails without consuming the error; thread B must not see it, and B's own failure must not clobber A's.
        var threadA = new Thread(() =>
        {
            try
            {
                NativeMethods.gct_mm(a.Handle, b.Handle).Should().Be(IntPtr.Zero);
                failed.Set();
                checkedByOther.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
                ownAfterwards = PeekLastError();
                _ = NativeResult.LastError();
                ownAfterClear = PeekLastError();
            }
            catch (Exception e)
            {
                failure = e;
                failed.Set();
            }
        });
        var threadB = new Thread(() =>
        {
            try
            {
                failed.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue();
                seenByOther = PeekLastError();
                otherOwnError = FluentActions.Invoking(() => a.view(4)).Should().Throw<TorchException>().Which.Message;
            }
            catch (Exception e)
            {
                failure ??= e;
            }
            finally
            {
                checkedByOther.Set();
            }
        });
        threadA.Start();
        threadB.Start();
        threadA.Join();
        threadB.Join();

        failure.Should().BeNull();
        seenByOther.Should().BeNull("thread B never failed before looking");
        otherOwnError.Should().Be("shape '[4]' is invalid for input of size 6");
        ownAfterwards.Should().Be("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        ownAfterClear.Should().BeNull();
        PeekLastError().Should().BeNull("the test thread never failed");
    }

    [Fact]
    public void Process_survives_many_alternating_failures_across_threads()
    {
        // 4 threads × 125 × (1 failing + 1 succeeding call) = 1,000 alternating calls. (Each libtorch
        // error captures a C++ backtrace, which costs milliseconds, so more would only slow the suite.)
        const int threads = 4;
        const int iterations = 125;
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, threads).Select(id => new Thread(() =>
        {
            try
            {
                using var scope = NewDisposeScope();
                var a = T.F64([1, 2, 3, 4, 5, 6], 2, 3);
                var bad = T.F64(new double[4 + id], 4 + id);
                double[] b = [id, id + 1.0, id + 2.0];
                var bt = T.F64(b);
                for (var i = 0; i < iterations; i++)
                {
                    // each thread fails with a message naming its own shape, so a leaked message would be detected
                    try
                    {
                        using var never = id % 2 == 0 ? a.matmul(bad) : a.add(bad);
                        errors.Add($"thread {id}: no exception");
                    }
                    catch (TorchException e)
                    {
                        var expected = id % 2 == 0
                            ? $"size mismatch, got 2, 2x3,{4 + id}"
                            : $"The size of tensor a (3) must match the size of tensor b ({4 + id}) at non-singleton dimension 1";
                        if (e.Message != expected)
                        {
                            errors.Add($"thread {id}: '{e.Message}' instead of '{expected}'");
                        }
                    }

                    using var sum = a.add(bt);
                    var values = sum.ToArray<double>();
                    for (var k = 0; k < 6; k++)
                    {
                        if (values[k] != k + 1 + b[k % 3])
                        {
                            errors.Add($"thread {id}: wrong sum at {k}");
                        }
                    }

                    if (PeekLastError() is { } stale)
                    {
                        errors.Add($"thread {id}: stale error '{stale}'");
                    }
                }
            }
            catch (Exception e)
            {
                errors.Add($"thread {id}: {e}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        errors.Should().BeEmpty();

        // and this thread still computes correct results
        using var scope = NewDisposeScope();
        var x = T.Doubles(12, 70);
        var y = T.Doubles(12, 71);
        T.F64(x, 3, 4).mm(T.F64(y, 4, 3)).Values().ShouldBeClose(Reference.MatMul(x, y, 3, 4, 3), 1e-12);
    }

    [Fact]
    public void TorchException_has_standard_constructors()
    {
        new TorchException().Message.Should().NotBeNullOrEmpty();
        var inner = new InvalidOperationException("inner");
        var e = new TorchException("outer", inner);
        e.Message.Should().Be("outer");
        e.InnerException.Should().BeSameAs(inner);
    }
}
