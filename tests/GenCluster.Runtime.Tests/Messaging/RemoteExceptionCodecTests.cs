using GenCluster.Runtime.Messaging;

namespace GenCluster.Runtime.Tests.Messaging;

public sealed class RemoteExceptionCodecTests
{
    public static TheoryData<Exception> Rebuilt => new()
    {
        new ArgumentException("bad", "x"),
        new ArgumentNullException("y", "missing"),
        new ArgumentOutOfRangeException("z", "too big"),
        new InvalidOperationException("nope"),
        new KeyNotFoundException("gone"),
        new NotSupportedException("never"),
        new TimeoutException("slow"),
        new OperationCanceledException("stopped"),
        new InconsistentStateException("raced", "e1", "e0"),
        new SiloUnavailableException("dead"),
        new GrainCallTimeoutException("late"),
    };

    [Theory]
    [MemberData(nameof(Rebuilt))]
    public void Common_exceptions_come_back_as_their_own_type_with_message_and_remote_stack(Exception original)
    {
        var thrown = Throw(original);

        var rebuilt = RemoteExceptionCodec.Decode(RemoteExceptionCodec.Encode(thrown));

        rebuilt.GetType().Should().Be(original.GetType());
        rebuilt.Message.Should().Be(original.Message);
        (rebuilt as ArgumentException)?.ParamName.Should().Be((original as ArgumentException)?.ParamName);
        rebuilt.StackTrace.Should().Contain(nameof(Throw), "the remote stack is attached");
    }

    [Fact]
    public void Other_exceptions_become_RemoteGrainException_with_type_message_and_stack()
    {
        var thrown = Throw(new FileNotFoundException("no checkpoint"));

        var rebuilt = RemoteExceptionCodec.Decode(RemoteExceptionCodec.Encode(thrown));

        var remote = rebuilt.Should().BeOfType<RemoteGrainException>().Which;
        remote.RemoteType.Should().Be("System.IO.FileNotFoundException");
        remote.Message.Should().Be("System.IO.FileNotFoundException: no checkpoint");
        remote.RemoteStackTrace.Should().Contain(nameof(Throw));
    }

    [Fact]
    public void A_RemoteGrainException_passed_on_again_keeps_the_original_type_and_message()
    {
        var once = RemoteExceptionCodec.Decode(RemoteExceptionCodec.Encode(Throw(new FileNotFoundException("no checkpoint"))));

        var twice = RemoteExceptionCodec.Decode(RemoteExceptionCodec.Encode(once));

        twice.Should().BeOfType<RemoteGrainException>().Which.Message.Should().Be("System.IO.FileNotFoundException: no checkpoint");
    }

    [Fact]
    public void A_malformed_description_still_yields_an_exception()
    {
        RemoteExceptionCodec.Decode(new byte[] { 0xC1 }).Should().BeOfType<RemoteGrainException>().Which.Message.Should().Contain("malformed");
        RemoteExceptionCodec.Decode(new byte[] { 0x91, 0x01 }).Should().BeOfType<RemoteGrainException>();
    }

    private static Exception Throw(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
