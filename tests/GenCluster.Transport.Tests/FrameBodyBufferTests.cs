using System.Buffers;
using System.IO.Pipelines;
using GenCluster.MessagePack;

namespace GenCluster.Transport.Tests;

public sealed class FrameBodyBufferTests
{
    [Theory]
    [InlineData(10, 0)]
    [InlineData(3_000, 0)]
    [InlineData(300_000, 0)] // spills past the pipe's block into pooled chunks
    [InlineData(300_000, 300_100)] // a good size hint keeps it in one block
    public async Task A_committed_body_becomes_one_correct_frame(int dataLength, int sizeHint)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0)); // no pause: the test reads after writing
        var body = new FrameBodyBuffer(maxFrameSize: 1024 * 1024);

        body.Begin(pipe.Writer, sizeHint);
        TestPayload.Write(body, 3, 9, dataLength);
        int length = body.Commit();
        await pipe.Writer.FlushAsync();

        var result = await pipe.Reader.ReadAsync();
        var buffer = result.Buffer;
        new FrameReader(1024 * 1024).TryReadFrame(ref buffer, out var payload).Should().BeTrue();
        payload.Length.Should().Be(length);
        TestPayload.Verify(payload).Should().Be((3, 9L, dataLength));
        buffer.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public async Task An_abandoned_body_leaves_nothing_in_the_pipe()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0)); // no pause: the test reads after writing
        var body = new FrameBodyBuffer(maxFrameSize: 1024 * 1024);

        body.Begin(pipe.Writer, 0);
        TestPayload.Write(body, 1, 1, 200_000);
        body.Abandon();
        body.Begin(pipe.Writer, 0);
        TestPayload.Write(body, 2, 2, 5);
        body.Commit();
        await pipe.Writer.FlushAsync();

        var result = await pipe.Reader.ReadAsync();
        var buffer = result.Buffer;
        new FrameReader().TryReadFrame(ref buffer, out var payload).Should().BeTrue();
        TestPayload.Verify(payload).Sender.Should().Be(2);
        buffer.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_body_over_the_frame_limit_throws_as_soon_as_it_crosses_it()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0)); // no pause: the test reads after writing
        var body = new FrameBodyBuffer(maxFrameSize: 1000);
        body.Begin(pipe.Writer, 0);

        var write = () => TestPayload.Write(body, 1, 1, 1000);

        write.Should().Throw<ArgumentException>().WithMessage("*1000 bytes*");
        body.Abandon();
        pipe.Writer.UnflushedBytes.Should().Be(0);
    }
}
