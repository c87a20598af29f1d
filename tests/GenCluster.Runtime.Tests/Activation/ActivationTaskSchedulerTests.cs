using GenCluster.Runtime.Activation;

namespace GenCluster.Runtime.Tests.Activation;

/// <summary>
/// A frame handler may run an idle activation's task on its own thread (<see cref="ActivationTaskScheduler.AllowInlineTurns"/>):
/// still one task at a time, never outside the handler's scope, and not again soon after a task overran the budget.
/// </summary>
public sealed class ActivationTaskSchedulerTests
{
    private static readonly AsyncLocal<string?> HandlerLocal = new();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_task_for_an_idle_activation_runs_on_the_handlers_thread_without_its_async_locals()
    {
        var scheduler = new ActivationTaskScheduler(TimeSpan.FromSeconds(5));
        int ranOn = -1;
        string? seenLocal = "not run";
        bool onActivation = false;
        HandlerLocal.Value = "the frame handler's";
        Task started;
        using (ActivationTaskScheduler.AllowInlineTurns())
        {
            started = Start(scheduler, () =>
            {
                ranOn = Environment.CurrentManagedThreadId;
                seenLocal = HandlerLocal.Value;
                onActivation = ActivationTaskScheduler.IsRunningOnActivation;
            });
            started.IsCompleted.Should().BeTrue("the activation was idle, so its task ran before Start returned");
        }

        await started;
        ranOn.Should().Be(Environment.CurrentManagedThreadId);
        seenLocal.Should().BeNull("grain code starts from a clean context, as on the thread pool");
        onActivation.Should().BeTrue();
        ActivationTaskScheduler.IsRunningOnActivation.Should().BeFalse();
    }

    [Fact]
    public async Task Without_the_handlers_scope_a_task_is_queued()
    {
        var scheduler = new ActivationTaskScheduler(TimeSpan.FromSeconds(5));
        using var gate = new ManualResetEventSlim();
        var task = Start(scheduler, () => gate.Wait(Patience));
        task.IsCompleted.Should().BeFalse();
        gate.Set();
        await task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_busy_activation_queues_the_task_even_inside_the_scope_and_runs_it_after_the_current_one()
    {
        var scheduler = new ActivationTaskScheduler(TimeSpan.FromSeconds(5));
        using var gate = new ManualResetEventSlim();
        int running = 0, overlapped = 0;
        void Turn()
        {
            if (Interlocked.Increment(ref running) > 1)
            {
                Interlocked.Increment(ref overlapped);
            }

            gate.Wait(Patience);
            Interlocked.Decrement(ref running);
        }

        var first = Start(scheduler, Turn); // queued: no scope on this thread
        var deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref running) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Task second;
        using (ActivationTaskScheduler.AllowInlineTurns())
        {
            second = Start(scheduler, Turn);
        }

        second.IsCompleted.Should().BeFalse("the activation was busy, so the task waited instead of running here");
        gate.Set();
        await Task.WhenAll(first, second).WaitAsync(Patience);
        overlapped.Should().Be(0);
    }

    [Fact]
    public async Task After_three_tasks_in_a_row_overran_the_budget_the_next_ones_are_queued()
    {
        var scheduler = new ActivationTaskScheduler(TimeSpan.FromMilliseconds(20));
        int handlerThread = Environment.CurrentManagedThreadId;
        int ranOn = -1;
        Task next;
        using (ActivationTaskScheduler.AllowInlineTurns())
        {
            // One slow run alone (a GC pause, say) costs nothing; a fast one in between resets the count.
            Start(scheduler, () => Thread.Sleep(60)).IsCompleted.Should().BeTrue();
            Start(scheduler, () => { }).IsCompleted.Should().BeTrue();
            scheduler.InlineRefused.Should().BeFalse();
            for (int i = 0; i < 3; i++)
            {
                Start(scheduler, () => Thread.Sleep(60)).IsCompleted.Should().BeTrue("the activation is still run inline until its third overrun in a row");
            }

            scheduler.InlineRefused.Should().BeTrue();
            next = Start(scheduler, () => ranOn = Environment.CurrentManagedThreadId);
        }

        await next.WaitAsync(Patience);
        ranOn.Should().NotBe(handlerThread, "an activation that keeps holding up the handler is queued for a while");
    }

    [Fact]
    public async Task A_zero_budget_never_runs_inline()
    {
        var scheduler = new ActivationTaskScheduler(TimeSpan.Zero);
        using var gate = new ManualResetEventSlim();
        Task task;
        using (ActivationTaskScheduler.AllowInlineTurns())
        {
            task = Start(scheduler, () => gate.Wait(Patience));
        }

        task.IsCompleted.Should().BeFalse();
        gate.Set();
        await task.WaitAsync(Patience);
    }

    // As the activation does: the task captures no context of the code that starts it.
    private static Task Start(ActivationTaskScheduler scheduler, Action work)
    {
        Task task;
        using (ExecutionContext.SuppressFlow())
        {
            task = new Task(work);
        }

        task.Start(scheduler);
        return task;
    }
}
