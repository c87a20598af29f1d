using static GenCluster.Torch.torch;

namespace GenCluster.Torch.Tests;

/// <summary>Per-thread dispose scopes for temporaries.</summary>
public class DisposeScopeTests
{
    [Fact]
    public void Tensors_created_in_a_scope_are_disposed_on_exit()
    {
        DisposeScope.Current.Should().BeNull();
        Tensor a, b, c;
        using (var scope = NewDisposeScope())
        {
            DisposeScope.Current.Should().BeSameAs(scope);
            a = zeros([2]);
            b = a.add(1);
            c = b.view(2, 1);
            scope.Count.Should().Be(3);
        }

        DisposeScope.Current.Should().BeNull();
        a.IsDisposed.Should().BeTrue();
        b.IsDisposed.Should().BeTrue();
        c.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Tensors_created_outside_any_scope_are_not_tracked()
    {
        using var outside = zeros([2]);
        using (NewDisposeScope())
        {
            using var inside = outside.add(1);
        }

        outside.IsDisposed.Should().BeFalse();
    }

    [Fact]
    public void Detached_and_moved_tensors_survive_their_scope()
    {
        Tensor kept, moved, temp;
        using (var scope = NewDisposeScope())
        {
            kept = ones([2]).DetachFromDisposeScope();
            moved = scope.MoveToOuter(ones([3]));
            temp = ones([4]);
            scope.Count.Should().Be(1);
        }

        temp.IsDisposed.Should().BeTrue();
        kept.IsDisposed.Should().BeFalse();
        moved.IsDisposed.Should().BeFalse("the outermost scope moves it out of all scopes");
        kept.ToArray<float>().Should().Equal(1f, 1f);
        moved.ToArray<float>().Should().Equal(1f, 1f, 1f);
        kept.Dispose();
        moved.Dispose();
    }

    [Fact]
    public void Nested_scopes_hand_tensors_outward()
    {
        Tensor movedOnce, viaTensor, inner;
        using (var outer = NewDisposeScope())
        {
            using (var middle = NewDisposeScope())
            {
                using (var innermost = NewDisposeScope())
                {
                    DisposeScope.Current.Should().BeSameAs(innermost);
                    inner = zeros([1]);
                    movedOnce = innermost.MoveToOuter(zeros([2]));
                    viaTensor = zeros([3]).MoveToOuterDisposeScope();
                    innermost.Count.Should().Be(1);
                }

                DisposeScope.Current.Should().BeSameAs(middle);
                inner.IsDisposed.Should().BeTrue();
                movedOnce.IsDisposed.Should().BeFalse();
                viaTensor.IsDisposed.Should().BeFalse();
                middle.Count.Should().Be(2);
                viaTensor.MoveToOuterDisposeScope();
                middle.Count.Should().Be(1);
                outer.Count.Should().Be(1);
            }

            movedOnce.IsDisposed.Should().BeTrue("it was moved only one level out");
            viaTensor.IsDisposed.Should().BeFalse("it was moved to the outer scope");
        }

        viaTensor.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Manually_disposed_tensors_leave_the_scope()
    {
        using var scope = NewDisposeScope();
        var a = zeros([2]);
        scope.Count.Should().Be(1);
        a.Dispose();
        scope.Count.Should().Be(0);
        var b = zeros([2]);
        b.DetachFromDisposeScope();
        scope.Count.Should().Be(0);
        b.Dispose();
        scope.MoveToOuter(zeros([1])).Dispose(); // moving a tensor out and disposing it
        scope.Invoking(s => s.MoveToOuter(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Moving_a_tensor_not_in_the_scope_is_a_no_op()
    {
        using var outer = NewDisposeScope();
        var fromOuter = zeros([1]);
        using (var inner = NewDisposeScope())
        {
            inner.MoveToOuter(fromOuter).Should().BeSameAs(fromOuter);
            inner.Count.Should().Be(0);
        }

        fromOuter.IsDisposed.Should().BeFalse();
        outer.Count.Should().Be(1);
    }

    [Fact]
    public void Disposing_on_another_thread_throws_and_leaves_the_scope_usable()
    {
        var scope = NewDisposeScope();
        var t = zeros([2]);
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                scope.Dispose();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();

        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("thread that opened it");
        t.IsDisposed.Should().BeFalse();
        DisposeScope.Current.Should().BeSameAs(scope);
        scope.Dispose();
        t.IsDisposed.Should().BeTrue();
        DisposeScope.Current.Should().BeNull();
        scope.Dispose(); // idempotent
    }

    [Fact]
    public void Disposing_an_outer_scope_first_throws()
    {
        var outer = NewDisposeScope();
        var inner = NewDisposeScope();
        outer.Invoking(s => s.Dispose()).Should().Throw<InvalidOperationException>().WithMessage("*innermost first*");
        inner.Dispose();
        outer.Dispose();
        DisposeScope.Current.Should().BeNull();
    }

    [Fact]
    public void Scopes_are_per_thread()
    {
        using var scope = NewDisposeScope();
        Tensor? fromOtherThread = null;
        DisposeScope? seen = null;
        var thread = new Thread(() =>
        {
            seen = DisposeScope.Current;
            fromOtherThread = zeros([1]);
        });
        thread.Start();
        thread.Join();
        seen.Should().BeNull();
        scope.Count.Should().Be(0, "a tensor made on another thread is not registered with this thread's scope");
        fromOtherThread!.Dispose();
    }

    [Fact]
    public void Many_temporaries_in_a_loop_are_released()
    {
        var all = new List<Tensor>();
        using (var outer = NewDisposeScope())
        {
            var acc = zeros([16]).MoveToOuterDisposeScope();
            outer.Count.Should().Be(0);
            for (var i = 0; i < 200; i++)
            {
                using var step = NewDisposeScope();
                var next = acc.add(ones([16]).mul(2));
                all.Add(next);
                acc.Dispose();
                acc = step.MoveToOuter(next);
            }

            acc.ToArray<float>().Should().OnlyContain(v => v == 400f);
            outer.Count.Should().Be(1);
            all.Take(199).Should().OnlyContain(t => t.IsDisposed);
        }

        all.Should().OnlyContain(t => t.IsDisposed);
    }
}
