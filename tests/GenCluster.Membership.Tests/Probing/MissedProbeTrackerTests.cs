using GenCluster.Membership.Tests.Support;

namespace GenCluster.Membership.Tests.Probing;

/// <summary>Consecutive misses per target, with overlapping probes whose results arrive out of order.</summary>
public sealed class MissedProbeTrackerTests
{
    [Fact]
    public void Misses_add_up_until_an_answer_clears_them()
    {
        var tracker = new MissedProbeTracker();
        var target = Rows.Silo(2);
        tracker.Retain([target]);

        tracker.RecordResult(target, tracker.BeginProbe(target), answered: false).Should().Be(1);
        tracker.RecordResult(target, tracker.BeginProbe(target), answered: false).Should().Be(2);
        tracker.RecordResult(target, tracker.BeginProbe(target), answered: true).Should().Be(0);
        tracker.RecordResult(target, tracker.BeginProbe(target), answered: false).Should().Be(1);
    }

    [Fact]
    public void A_late_failure_does_not_undo_a_newer_answer()
    {
        var tracker = new MissedProbeTracker();
        var target = Rows.Silo(2);
        tracker.Retain([target]);
        var slow = tracker.BeginProbe(target);
        var fast = tracker.BeginProbe(target);

        tracker.RecordResult(target, fast, answered: true).Should().Be(0);
        tracker.RecordResult(target, slow, answered: false).Should().BeNull();
        tracker.ConsecutiveMisses(target).Should().Be(0);
    }

    [Fact]
    public void A_silo_no_longer_probed_is_forgotten_and_starts_clean_when_probed_again()
    {
        var tracker = new MissedProbeTracker();
        var target = Rows.Silo(2);
        tracker.Retain([target]);
        tracker.RecordResult(target, tracker.BeginProbe(target), answered: false);
        var inFlight = tracker.BeginProbe(target);

        tracker.Retain([Rows.Silo(3)]);
        tracker.RecordResult(target, inFlight, answered: false).Should().BeNull("the target is no longer probed");
        tracker.Retain([target]);

        tracker.ConsecutiveMisses(target).Should().Be(0);
        tracker.RecordResult(target, inFlight, answered: false).Should().BeNull("a probe from before the new history does not count");
        tracker.RecordResult(target, tracker.BeginProbe(target), answered: false).Should().Be(1);
    }
}
