using GenCluster.Runtime.Calls;
using GenCluster.Runtime.Messaging;
using GenCluster.Runtime.Tests.Support;

namespace GenCluster.Runtime.Tests.Calls;

public sealed class PendingRequestTableTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly PendingRequestTable _table;
    private readonly List<PendingRequest> _abandoned = [];

    public PendingRequestTableTests()
    {
        _table = new PendingRequestTable(_clock);
    }

    [Fact]
    public async Task A_request_without_a_reply_times_out_exactly_at_its_limit_and_the_callee_is_told()
    {
        var (pending, response) = Add(timeout: TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(29.9));
        response.Task.IsCompleted.Should().BeFalse();
        _table.TimeLeft(pending).Should().Be(TimeSpan.FromSeconds(0.1));

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var thrown = await response.Invoking(r => r.Task).Should().ThrowAsync<GrainCallTimeoutException>();
        thrown.Which.Message.Should().Be("IShard.Update on shard/7 got no response within 30 s");
        _abandoned.Should().ContainSingle().Which.Should().BeSameAs(pending);
        _table.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_final_reply_completes_the_call_and_stops_its_timer()
    {
        var (pending, response) = Add(timeout: TimeSpan.FromSeconds(1));

        _table.TryDeliver(pending.Request.CreateReply(MessageKind.Response, new byte[] { 0xC0 })).Should().BeTrue();
        _clock.Advance(TimeSpan.FromSeconds(5));

        (await response.Task).Kind.Should().Be(MessageKind.Response);
        _abandoned.Should().BeEmpty();
        _table.TryDeliver(pending.Request.CreateReply(MessageKind.Response)).Should().BeFalse("a duplicate reply has no request to go to");
    }

    [Fact]
    public async Task Cancelling_the_caller_token_fails_the_call_and_tells_the_callee()
    {
        using var cancellation = new CancellationTokenSource();
        var (pending, response) = Add(timeout: null, cancellation.Token);

        cancellation.Cancel();

        await response.Invoking(r => r.Task).Should().ThrowAsync<OperationCanceledException>();
        _abandoned.Should().ContainSingle().Which.Should().BeSameAs(pending);
    }

    [Fact]
    public async Task Stream_items_arrive_in_order_until_the_end()
    {
        var stream = new StreamResponse();
        var pending = new PendingRequest(Request(_table.NextId()), stream, "IShard.Updates");
        _table.Add(pending, timeout: null, CancellationToken.None, _abandoned.Add);

        for (byte i = 0; i < 3; i++)
        {
            _table.TryDeliver(pending.Request.CreateReply(MessageKind.StreamItem, new[] { i }));
        }

        _table.TryDeliver(pending.Request.CreateReply(MessageKind.StreamEnd));
        var kinds = new List<MessageKind>();
        await foreach (var reply in stream.Replies.ReadAllAsync())
        {
            kinds.Add(reply.Kind);
        }

        kinds.Should().Equal(MessageKind.StreamItem, MessageKind.StreamItem, MessageKind.StreamItem, MessageKind.StreamEnd);
        _table.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_rejection_goes_to_the_rejection_handler_which_may_keep_the_request_alive()
    {
        var response = new UnaryResponse();
        int reroutes = 0;
        var pending = new PendingRequest(Request(_table.NextId()), response, "IShard.Update")
        {
            RejectionHandler = (_, _) => ++reroutes == 1,
        };
        _table.Add(pending, TimeSpan.FromSeconds(30), CancellationToken.None, null);
        var rejection = pending.Request.CreateRejection(RejectionReason.NotHere, "not here");

        _table.TryDeliver(rejection);
        response.Task.IsCompleted.Should().BeFalse("the first rejection was rerouted");

        _table.TryDeliver(rejection);
        response.Task.IsCompletedSuccessfully.Should().BeTrue("the second one ends the call as an error reply");
        (await response.Task).Kind.Should().Be(MessageKind.Error);
    }

    [Fact]
    public async Task Failing_by_destination_ends_only_the_requests_sent_there()
    {
        var (toDead, deadResponse) = Add(timeout: null);
        var (toLive, liveResponse) = Add(timeout: null);
        toDead.Destination = Views.Silo(3);
        toLive.Destination = Views.Silo(1);

        _table.FailWhere(p => p.Destination == Views.Silo(3), _ => new SiloUnavailableException("silo 3 died")).Should().Be(1);

        await deadResponse.Invoking(r => r.Task).Should().ThrowAsync<SiloUnavailableException>();
        liveResponse.Task.IsCompleted.Should().BeFalse();
    }

    private (PendingRequest Pending, UnaryResponse Response) Add(TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        var response = new UnaryResponse();
        var pending = new PendingRequest(Request(_table.NextId()), response, "IShard.Update");
        _table.Add(pending, timeout, cancellationToken, _abandoned.Add);
        return (pending, response);
    }

    private static Message Request(long id) => new() { Id = id, Kind = MessageKind.Request, Target = new GrainId("shard", "7") };
}
