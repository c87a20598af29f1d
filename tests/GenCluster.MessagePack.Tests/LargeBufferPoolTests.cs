namespace GenCluster.MessagePack.Tests;

/// <summary>
/// Large buffers (received frames) come from a shared pool; an array goes back to the pool only when its frame is
/// released, once, and is not handed out again before that.
/// </summary>
public sealed class LargeBufferPoolTests
{
    [Fact]
    public void An_array_is_reused_only_after_its_frame_was_released_and_only_once()
    {
        // A size no other test uses, so the shared pool's other arrays do not fit it.
        const int Length = (5 * 1024 * 1024) + 333;
        var first = LargeBufferPool.Rent(Length);
        var frame = new OwnedBytes(first, Length, LargeBufferPool.Return);
        frame.Memory.Length.Should().Be(Length, "the frame is the bytes in use, not the whole array");

        var whileReferenced = LargeBufferPool.Rent(Length);
        whileReferenced.Should().NotBeSameAs(first, "an unreleased frame's array is not handed out");

        OwnedBytes.Release(frame.Memory[10..]); // a slice (a message body) releases the whole frame
        OwnedBytes.Release(frame.Memory);       // and a second release does nothing
        var afterRelease = LargeBufferPool.Rent(Length);
        var another = LargeBufferPool.Rent(Length);

        afterRelease.Should().BeSameAs(first, "the released array is reused");
        another.Should().NotBeSameAs(first, "a frame released twice was returned once");
        LargeBufferPool.Return(whileReferenced);
        LargeBufferPool.Return(another);
        LargeBufferPool.Return(afterRelease);
    }

    [Fact]
    public void Memory_of_another_kind_and_frames_without_a_pool_are_not_released_anywhere()
    {
        var plain = new byte[1000];
        var owned = new OwnedBytes(plain);

        OwnedBytes.Release(plain);
        OwnedBytes.Release(owned.Memory);

        owned.Memory.Length.Should().Be(plain.Length);
    }
}
