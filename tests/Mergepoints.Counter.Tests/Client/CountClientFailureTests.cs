using System.Net;
using Mergepoints.Counter.Client;

namespace Mergepoints.Counter.Tests.Client;

/// <summary>Servers that do not answer, or answer badly: what is retried, what is sent once, what the caller is told.</summary>
public sealed class CountClientFailureTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_get_that_gets_no_answer_times_out_and_is_tried_once_more_per_retry()
    {
        await using var silent = await CountingSite.StartSilentAsync();
        using var client = Client(silent.Url);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.GetAsync("1", Cancellation));

        Assert.Equal(3, silent.Requests);
        Assert.Null(failure.StatusCode);
        Assert.Equal("no answer within 1 s", failure.Reason);
        Assert.Contains("(after 3 attempts)", failure.Message, StringComparison.Ordinal);
        Assert.False(failure.OutcomeUnknown);
    }

    [Fact]
    public async Task An_increment_that_gets_no_answer_is_sent_once_and_says_the_play_may_have_counted()
    {
        await using var silent = await CountingSite.StartSilentAsync();
        using var client = Client(silent.Url);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.IncrementAsync("1", Cancellation));

        Assert.Equal(1, silent.Requests);
        Assert.True(failure.OutcomeUnknown);
        Assert.Contains("may or may not have been counted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_is_retried_for_a_get_but_not_for_an_increment()
    {
        await using var failing = await CountingSite.StartAnsweringAsync(503, "Warming up.\nsecond line");
        using var client = Client(failing.Url);

        var get = await Assert.ThrowsAsync<CountClientException>(() => client.GetAsync("1", Cancellation));
        Assert.Equal(3, failing.Requests);
        var increment = await Assert.ThrowsAsync<CountClientException>(() => client.IncrementAsync("1", Cancellation));
        Assert.Equal(4, failing.Requests);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Warming up."), (get.StatusCode, get.Reason));
        Assert.False(get.OutcomeUnknown);
        Assert.True(increment.OutcomeUnknown);
    }

    [Fact]
    public async Task A_4xx_is_not_retried_and_carries_the_servers_reason()
    {
        await using var refusing = await CountingSite.StartAnsweringAsync(403, "Counting is closed today.");
        using var client = Client(refusing.Url);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.GetAsync("1", Cancellation));

        Assert.Equal(1, refusing.Requests);
        Assert.Equal(HttpStatusCode.Forbidden, failure.StatusCode);
        Assert.Equal("Counting is closed today.", failure.Reason);
        Assert.Equal(refusing.Url, failure.Server);
    }

    [Fact]
    public async Task An_answer_that_is_not_a_counters_is_an_error_not_a_count()
    {
        await using var other = await CountingSite.StartAnsweringAsync(200, "<html>welcome</html>");
        using var client = Client(other.Url);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.GetAsync("1", Cancellation));

        Assert.Equal(1, other.Requests);
        Assert.Contains("not a counter's", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_answered_by_something_that_is_not_a_counter_is_not_taken_for_done()
    {
        // JSON, and a success, but a count: not the counter's {"ok":true}.
        await using var other = await CountingSite.StartAnsweringAsync(200, """{"id":"1","count":0}""");
        using var client = Client(other.Url);

        var failure = await Assert.ThrowsAsync<CountClientException>(() => client.ResetSongAsync("1", Cancellation));
        var reset = await client.ResetAsync(Cancellation);

        Assert.Contains("not a counter's", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("not a counter's", Assert.Single(reset.Failed).Reason, StringComparison.Ordinal);
        Assert.Empty(reset.Succeeded);
    }

    [Fact]
    public async Task An_answer_that_names_a_song_twice_is_that_servers_failure_not_a_crash_of_get_all()
    {
        await using var other = await CountingSite.StartAnsweringAsync(200, """{"a":1,"a":2}""");
        using var client = Client(other.Url);

        var partial = await Assert.ThrowsAsync<PartialCountsException>(() => client.GetAllAsync(Cancellation));

        var failure = Assert.Single(partial.Failures);
        Assert.Equal(other.Url, failure.Server);
        Assert.Contains("not a counter's", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Test-User", "root\r\nX-Evil: 1")]
    [InlineData("Bad Name", "x")]
    [InlineData("Content-Type", "text/plain")]
    [InlineData("accept", "text/plain")]
    public void A_header_that_cannot_be_sent_as_given_is_refused_when_the_client_is_made(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new CountClient(new CountClientOptions
        {
            Servers = [new("http://counter/")],
            Headers = new Dictionary<string, string> { [name] = value },
        }));

        Assert.Contains("header", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_retry_backoff_whose_doubling_would_overflow_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new CountClient(new CountClientOptions { Servers = [new("http://counter/")], RetryBackoff = TimeSpan.MaxValue }));

        Assert.Contains("backoff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_id_is_refused_without_a_round_trip()
    {
        await using var server = await CountingSite.StartAnsweringAsync(200, "0");
        using var client = Client(server.Url);

        await Assert.ThrowsAsync<ArgumentException>(() => client.IncrementAsync("a/b", Cancellation));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(new string('x', 129), Cancellation));

        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Cancelling_is_a_cancellation_not_a_server_failure_and_is_not_retried()
    {
        await using var silent = await CountingSite.StartSilentAsync();
        using var client = new CountClient(new CountClientOptions { Servers = [silent.Url], Timeout = TimeSpan.FromMinutes(1) });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        var get = client.GetAsync("1", cancel.Token);
        while (silent.Requests == 0)
        {
            await Task.Delay(10, Cancellation);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        Assert.Equal(1, silent.Requests);
    }

    [Theory]
    [InlineData("ftp://counter/")]
    [InlineData("http://counter/?shard=1")]
    [InlineData("/api/")]
    public void A_server_url_that_is_no_http_base_is_refused(string url) =>
        Assert.Throws<ArgumentException>(() => new CountClient(new CountClientOptions { Servers = [new Uri(url, UriKind.RelativeOrAbsolute)] }));

    [Fact]
    public void The_same_server_listed_twice_is_refused_since_get_all_would_count_it_twice()
    {
        var error = Assert.Throws<ArgumentException>(() => new CountClient(new CountClientOptions { Servers = [new("http://counter:80/api"), new("HTTP://COUNTER/api/")] }));

        Assert.StartsWith("The counter server http://counter/api/ is listed twice.", error.Message, StringComparison.Ordinal);
    }

    private static CountClient Client(Uri server) =>
        new(new CountClientOptions { Servers = [server], Timeout = AttemptTimeout, GetRetries = 2, RetryBackoff = TimeSpan.FromMilliseconds(10) });
}
