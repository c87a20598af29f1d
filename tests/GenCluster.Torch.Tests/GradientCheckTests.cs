using static GenCluster.Torch.torch;
using F = GenCluster.Torch.torch.nn.functional;

namespace GenCluster.Torch.Tests;

/// <summary>Finite-difference gradient checks (float64) for every differentiable op of the binding.</summary>
public class GradientCheckTests
{
    private sealed record Case(Func<Tensor[]> Inputs, Func<Tensor[], Tensor> Fn, int[]? Wrt = null);

    // Re-seeded before every evaluation, so each evaluation draws the same dropout mask.
    private static readonly Generator DropoutGenerator = new(1234);

    private static Tensor R(int seed, params long[] shape) => T.F64(T.Doubles((int)T.Numel(shape), seed), shape);

    private static Tensor Away(int seed, params long[] shape) => T.F64(T.AwayFromZero((int)T.Numel(shape), seed), shape);

    private static Tensor Positive(int seed, params long[] shape) => T.F64(T.Doubles((int)T.Numel(shape), seed, 0.5, 2.0), shape);

    private static Tensor Distinct(int seed, params long[] shape) => T.F64(T.Distinct((int)T.Numel(shape), seed), shape);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Arithmetic, tensor and scalar forms (with broadcasting and alpha).
        ["add"] = new(() => [R(1, 3, 4), R(2, 4)], x => x[0].add(x[1], alpha: 0.7)),
        ["add_scalar"] = new(() => [R(3, 3, 4)], x => x[0].add(1.5)),
        ["sub"] = new(() => [R(4, 3, 4), R(5, 3, 1)], x => x[0].sub(x[1], alpha: 1.3)),
        ["sub_scalar"] = new(() => [R(6, 5)], x => x[0].sub(2.0)),
        ["rsub_scalar"] = new(() => [R(7, 5)], x => 2.0 - x[0]),
        ["mul"] = new(() => [R(8, 3, 4), R(9, 3, 4)], x => x[0].mul(x[1])),
        ["mul_scalar"] = new(() => [R(10, 6)], x => x[0].mul(-2.5)),
        ["div"] = new(() => [R(11, 3, 4), Away(12, 3, 4)], x => x[0].div(x[1])),
        ["div_scalar"] = new(() => [R(13, 6)], x => x[0].div(0.3)),
        ["pow"] = new(() => [Positive(14, 3, 4), R(15, 3, 4)], x => x[0].pow(x[1])),
        ["pow_scalar"] = new(() => [Positive(16, 6)], x => x[0].pow(2.7)),
        ["neg"] = new(() => [R(17, 6)], x => x[0].neg()),
        ["abs"] = new(() => [Away(18, 8)], x => x[0].abs()),
        ["exp"] = new(() => [R(19, 8)], x => x[0].exp()),
        ["log"] = new(() => [Positive(20, 8)], x => x[0].log()),
        ["sqrt"] = new(() => [Positive(21, 8)], x => x[0].sqrt()),
        ["square"] = new(() => [R(22, 8)], x => x[0].square()),
        ["sin"] = new(() => [R(23, 8)], x => x[0].sin()),
        ["cos"] = new(() => [R(24, 8)], x => x[0].cos()),
        // Inputs in ±[0.2, 1.5], edges -0.1 and 1.0: some inputs are clamped (grad 0), the rest pass (grad 1); none is near an edge.
        ["clamp"] = new(() => [Away(25, 10)], x => x[0].clamp(-0.1, 1.0)),
        ["maximum"] = new(() => [Distinct(26, 8), Distinct(27, 8)], x => x[0].maximum(x[1])),
        ["minimum"] = new(() => [Distinct(28, 8), Distinct(29, 8)], x => x[0].minimum(x[1])),
        ["where"] = new(() => [R(30, 6), R(31, 6)], x =>
        {
            using var condition = tensor(new[] { true, false, true, true, false, false });
            return where(condition, x[0], x[1]);
        }),

        // Activations (inputs away from the kinks).
        ["tanh"] = new(() => [R(40, 8)], x => x[0].tanh()),
        ["sigmoid"] = new(() => [R(41, 8)], x => x[0].sigmoid()),
        ["relu"] = new(() => [Away(42, 10)], x => F.relu(x[0])),
        ["leaky_relu"] = new(() => [Away(43, 10)], x => F.leaky_relu(x[0], 0.2)),

        // Reductions.
        ["sum"] = new(() => [R(50, 3, 4)], x => x[0].sum()),
        ["sum_dims"] = new(() => [R(51, 2, 3, 4)], x => x[0].sum([0, 2])),
        ["sum_dims_keepdim"] = new(() => [R(52, 2, 3, 4)], x => x[0].sum([1], keepdim: true)),
        ["mean"] = new(() => [R(53, 3, 4)], x => x[0].mean()),
        ["mean_dims"] = new(() => [R(54, 2, 3, 4)], x => x[0].mean([1, 2])),
        ["var"] = new(() => [R(55, 3, 5)], x => x[0].var([1])),
        ["var_biased_keepdim"] = new(() => [R(56, 3, 5)], x => x[0].var([0], unbiased: false, keepdim: true)),
        ["max"] = new(() => [Distinct(57, 3, 4)], x => x[0].max()),
        ["min"] = new(() => [Distinct(58, 3, 4)], x => x[0].min()),
        ["amax"] = new(() => [Distinct(59, 3, 4)], x => x[0].amax(1)),
        ["softmax"] = new(() => [R(60, 3, 4)], x => x[0].softmax(1)),
        ["softmax_dim0"] = new(() => [R(61, 3, 4)], x => F.softmax(x[0], 0)),
        ["log_softmax"] = new(() => [R(62, 3, 4)], x => F.log_softmax(x[0], -1)),

        // Shapes and views.
        ["reshape"] = new(() => [R(70, 3, 4)], x => x[0].reshape(2, -1).mul(x[0].reshape(2, 6))),
        ["view"] = new(() => [R(71, 3, 4)], x => x[0].view(4, 3)),
        ["permute"] = new(() => [R(72, 2, 3, 4)], x => x[0].permute(2, 0, 1)),
        ["transpose"] = new(() => [R(73, 2, 3, 4)], x => x[0].transpose(0, 2)),
        ["t"] = new(() => [R(74, 3, 4)], x => x[0].t()),
        ["flatten"] = new(() => [R(75, 2, 3, 4)], x => x[0].flatten(1)),
        ["squeeze"] = new(() => [R(76, 3, 1, 4)], x => x[0].squeeze(1)),
        ["unsqueeze"] = new(() => [R(77, 3, 4)], x => x[0].unsqueeze(1)),
        ["narrow"] = new(() => [R(78, 5, 4)], x => x[0].narrow(0, 1, 3)),
        ["slice"] = new(() => [R(79, 7, 3)], x => x[0].slice(0, 1, 7, 2)),
        ["select"] = new(() => [R(80, 3, 4)], x => x[0].select(1, 2)),
        ["index_select"] = new(() => [R(81, 4, 3)], x =>
        {
            using var index = T.I64([3, 0, 3, 1]);
            return x[0].index_select(0, index);
        }),
        ["expand"] = new(() => [R(82, 3, 1)], x => x[0].expand(2, 3, 4)),
        ["cat"] = new(() => [R(83, 2, 3), R(84, 1, 3), R(85, 4, 3)], x => cat(x, 0)),
        ["stack"] = new(() => [R(86, 2, 3), R(87, 2, 3)], x => stack(x, 1)),
        ["contiguous"] = new(() => [R(88, 3, 4)], x => x[0].t().contiguous()),
        ["clone"] = new(() => [R(89, 4)], x => x[0].clone()),
        ["to_float64"] = new(() => [R(90, 4)], x => x[0].to(ScalarType.Float64).mul(x[0])),

        // Linear algebra.
        ["matmul_2d"] = new(() => [R(100, 3, 4), R(101, 4, 5)], x => x[0].matmul(x[1])),
        ["matmul_batched"] = new(() => [R(102, 2, 3, 4), R(103, 4, 2)], x => matmul(x[0], x[1])),
        ["matmul_vector"] = new(() => [R(104, 3, 4), R(105, 4)], x => x[0].matmul(x[1])),
        ["mm"] = new(() => [R(106, 3, 4), R(107, 4, 2)], x => x[0].mm(x[1])),
        ["linear"] = new(() => [R(108, 5, 4), R(109, 3, 4), R(110, 3)], x => F.linear(x[0], x[1], x[2])),
        ["linear_no_bias"] = new(() => [R(111, 2, 5, 4), R(112, 3, 4)], x => F.linear(x[0], x[1])),

        // Convolutions.
        ["conv2d"] = new(() => [R(120, 2, 2, 5, 5), R(121, 3, 2, 3, 3), R(122, 3)],
            x => F.conv2d(x[0], x[1], x[2], stride: 2, padding: 1)),
        ["conv2d_dilation_groups"] = new(() => [R(123, 1, 4, 6, 6), R(124, 2, 2, 3, 3), R(125, 2)],
            x => F.conv2d(x[0], x[1], x[2], stride: 1, padding: 1, dilation: 2, groups: 2)),
        ["conv_transpose2d"] = new(() => [R(126, 2, 3, 3, 3), R(127, 3, 2, 4, 4), R(128, 2)],
            x => F.conv_transpose2d(x[0], x[1], x[2], stride: 2, padding: 1)),
        ["conv_transpose2d_1x1_input"] = new(() => [R(190, 3, 4, 1, 1), R(191, 4, 2, 3, 3), R(192, 2)],
            x => F.conv_transpose2d(x[0], x[1], x[2])),

        // Normalisation, embedding, dropout.
        ["batch_norm_train"] = new(() => [R(130, 4, 3, 2, 2), Positive(131, 3), R(132, 3)],
            x => F.batch_norm(x[0], null, null, x[1], x[2], training: true)),
        ["batch_norm_1d_running_stats"] = new(() => [R(133, 6, 3), Positive(134, 3), R(135, 3)], x =>
        {
            // Running statistics are updated in place but do not change the training-mode output.
            using var mean = zeros([3], float64);
            using var variance = ones([3], float64);
            return F.batch_norm(x[0], mean, variance, x[1], x[2], training: true, momentum: 0.1);
        }),
        ["batch_norm_eval"] = new(() => [R(136, 4, 3), Positive(137, 3), R(138, 3)], x =>
        {
            using var mean = T.F64([0.1, -0.2, 0.3]);
            using var variance = T.F64([0.5, 1.5, 2.0]);
            return F.batch_norm(x[0], mean, variance, x[1], x[2], training: false);
        }),
        ["embedding"] = new(() => [R(140, 5, 3)], x =>
        {
            using var indices = T.I64([4, 0, 2, 4, 1, 4], 2, 3);
            return F.embedding(indices, x[0]);
        }),
        ["dropout"] = new(() => [R(141, 4, 6)], x =>
        {
            DropoutGenerator.manual_seed(1234);
            return F.dropout(x[0], 0.4, training: true, DropoutGenerator);
        }),

        // Losses.
        ["bce_with_logits"] = new(() => [R(150, 4, 3), T.F64(T.Doubles(12, 151, 0, 1), 4, 3)],
            x => F.binary_cross_entropy_with_logits(x[0], x[1]), Wrt: [0]),
        ["bce_with_logits_weights_sum"] = new(() => [R(152, 4, 3), T.F64(T.Doubles(12, 153, 0, 1), 4, 3)], x =>
        {
            using var weight = T.F64([0.5, 1.0, 2.0]);
            using var posWeight = T.F64([3.0, 1.0, 0.25]);
            return F.binary_cross_entropy_with_logits(x[0], x[1], weight, Reduction.Sum, posWeight);
        }, Wrt: [0]),
        ["mse_loss"] = new(() => [R(154, 4, 3), R(155, 4, 3)], x => F.mse_loss(x[0], x[1])),
        ["mse_loss_none"] = new(() => [R(156, 4, 3), R(157, 4, 3)], x => F.mse_loss(x[0], x[1], Reduction.None)),
        ["cross_entropy"] = new(() => [R(158, 5, 4)], x =>
        {
            using var target = T.I64([3, 0, 1, 3, 2]);
            return F.cross_entropy(x[0], target);
        }),
        ["cross_entropy_weighted_smoothed"] = new(() => [R(159, 5, 4)], x =>
        {
            using var target = T.I64([3, 0, 1, 3, 2]);
            using var weight = T.F64([1.0, 2.0, 0.5, 1.5]);
            return F.cross_entropy(x[0], target, weight, label_smoothing: 0.1);
        }),
        ["cross_entropy_ignore_sum"] = new(() => [R(160, 5, 4)], x =>
        {
            using var target = T.I64([3, -100, 1, 3, 2]);
            return F.cross_entropy(x[0], target, reduction: Reduction.Sum);
        }),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Analytic_gradient_matches_central_differences(string name)
    {
        using var scope = NewDisposeScope();
        var c = Cases[name];
        GradientChecker.Check(c.Fn, c.Inputs(), c.Wrt);
    }

    [Fact]
    public void Checker_detects_a_wrong_gradient()
    {
        using var scope = NewDisposeScope();
        // x * detach(x) has derivative 2x numerically but autograd only sees one factor: x.
        var act = () => GradientChecker.Check(x =>
        {
            using var d = x[0].detach();
            return x[0].mul(d);
        }, [T.F64([0.5, -1.0, 2.0])]);
        act.Should().Throw<Exception>().WithMessage("*analytic and numeric gradients should agree*");
    }

    [Fact]
    public void Checker_detects_a_disconnected_input()
    {
        using var scope = NewDisposeScope();
        var act = () => GradientChecker.Check(x => x[0].mul(2.0), [T.F64([0.5, -1.0]), T.F64([1.0])]);
        act.Should().Throw<Exception>().WithMessage("*should influence the output*");
    }
}
