using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Hooks on gradient accumulators that report, during backward, each leaf whose gradient is final.</summary>
public class GradientReadyHooksTests
{
    private static Sequential MakeModel() => nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3));

    [Fact]
    public void Every_parameter_is_reported_exactly_once_per_backward_last_layer_first()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = MakeModel();
        var parameters = model.named_parameters().ToList();
        var order = new List<int>();
        using var hooks = new GradientReadyHooks([.. parameters.Select(p => p.Tensor)], order.Add);

        const int passes = 3;
        for (var pass = 0; pass < passes; pass++)
        {
            model.forward(randn([5, 4])).square().sum().backward();
            order.Count.Should().Be(parameters.Count * (pass + 1), "each pass reports every parameter once");
        }

        order.GroupBy(i => i).Should().HaveCount(parameters.Count).And.OnlyContain(g => g.Count() == passes);
        var firstPass = order.Take(parameters.Count).ToList();
        var lastLayer = parameters.FindIndex(p => p.Name == "4.weight");
        var firstLayer = parameters.FindIndex(p => p.Name == "0.weight");
        firstPass.IndexOf(lastLayer).Should().BeLessThan(firstPass.IndexOf(firstLayer), "backward finishes the last layer before the first");
    }

    [Fact]
    public void A_reported_gradient_is_already_final_even_for_a_parameter_used_twice()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var shared = nn.Linear(6, 6);
        using var head = nn.Linear(6, 2);
        using var model = nn.Sequential(shared, nn.ReLU(), head);
        using var flat = ParameterBuffer.Flatten(model);
        var parameters = model.parameters().ToList();
        var atReport = new float[flat.Length];
        var reports = new int[parameters.Count];
        using var hooks = new GradientReadyHooks(parameters, i =>
        {
            reports[i]++;
            var slot = flat.Layout[i];
            flat.GradientSpan.Slice((int)slot.Offset, (int)slot.Length).CopyTo(atReport.AsSpan((int)slot.Offset));
        });

        // Two backward passes accumulate; the shared layer feeds two nodes in each, and its hook must wait for both.
        for (var pass = 0; pass < 2; pass++)
        {
            var x = randn([3, 6]);
            var hidden = shared.forward(x).tanh();
            var twice = shared.forward(hidden);
            head.forward(twice).sum().backward();
        }

        reports.Should().OnlyContain(n => n == 2);
        var final = flat.Gradients.ToArray<float>();
        final.Should().Contain(v => v != 0, "the check below must compare real gradients");
        atReport.Should().Equal(final);
    }

    [Fact]
    public void A_failing_callback_fails_backward_with_its_exception_and_the_next_pass_runs()
    {
        using var scope = NewDisposeScope();
        using var model = MakeModel();
        var fail = true;
        var reported = 0;
        using var hooks = new GradientReadyHooks([.. model.parameters()], _ =>
        {
            if (fail)
            {
                throw new InvalidOperationException("bucket bookkeeping broke");
            }

            reported++;
        });

        var thrown = FluentActions.Invoking(() => model.forward(randn([2, 4])).sum().backward()).Should().Throw<TorchException>().Which;
        thrown.Message.Should().Contain("bucket bookkeeping broke");
        thrown.InnerException.Should().BeOfType<InvalidOperationException>();

        fail = false;
        model.forward(randn([2, 4])).sum().backward();
        reported.Should().Be(model.parameters().Count());
        // The managed failure was handed to the backward that ran it, not left for an unrelated later error.
        FluentActions.Invoking(() => T.F64([1.0]).sum().backward()).Should().Throw<TorchException>().Which.InnerException.Should().BeNull();
    }

    [Fact]
    public void Disposed_hooks_report_nothing()
    {
        using var scope = NewDisposeScope();
        using var model = MakeModel();
        var reported = 0;
        var hooks = new GradientReadyHooks([.. model.parameters()], _ => reported++);
        model.forward(randn([2, 4])).sum().backward();
        reported.Should().Be(model.parameters().Count());

        hooks.Dispose();
        hooks.Dispose();
        model.forward(randn([2, 4])).sum().backward();
        reported.Should().Be(model.parameters().Count());
    }

    [Fact]
    public void Only_leaves_that_require_grad_can_be_hooked()
    {
        using var scope = NewDisposeScope();
        var leaf = T.F64([1.0, 2.0]).requires_grad_();
        var inner = leaf.mul(2);
        var constant = T.F64([1.0]);

        FluentActions.Invoking(() => new GradientReadyHooks([leaf, inner], _ => { })).Should().Throw<TorchException>().WithMessage("*leaf*");
        FluentActions.Invoking(() => new GradientReadyHooks([constant], _ => { })).Should().Throw<TorchException>().WithMessage("*requires grad*");
        FluentActions.Invoking(() => new GradientReadyHooks([leaf], null!)).Should().Throw<ArgumentNullException>();
    }
}
