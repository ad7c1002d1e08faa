using System.Net;
using System.Text.Json;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.Tests.WriteBehind;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Http;

/// <summary>
/// The admin operations the admin app calls over HTTP: <c>DELETE /song/{id}</c>, <c>POST /flush</c> and
/// <c>DELETE /</c>, for an admin only (401 for nobody, 403 for a user who is not one), in plain text and in JSON.
/// </summary>
public sealed class CounterAdminTests : IAsyncDisposable
{
    private const string Admin = HeaderUser.Admin;
    private const string User = "ann";

    private readonly TempDirectory _directory = new();
    private CounterServer? _server;
    private SongsDatabase? _database;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        _directory.Dispose();
    }

    /// <summary>A counter with a, b and c played 1, 2 and 3 times; with write-behind into a SQLite songs table unless <paramref name="flush"/> is false.</summary>
    private async Task<CounterServer> StartAsync(bool flush = true)
    {
        _database = flush ? await SongsDatabase.CreateAsync(DatastoreKind.Sqlite, ThreeSongs.Ids) : null;
        _server = await CounterServer.StartAsync(_directory.Path, flush: _database is { } database ? counts => new SongsWriteBehind(counts, database.OpenAsync).FlushAsync : null);
        await ThreeSongs.PlayAsync(_server.Counts);
        return _server;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "Sign in as an admin to reset a song's count.")]
    [InlineData(User, HttpStatusCode.Forbidden, "Only an admin may reset a song's count.")]
    public async Task Resetting_a_song_is_refused_to_anyone_but_an_admin(string? user, HttpStatusCode status, string reason)
    {
        var server = await StartAsync(flush: false);

        var (answered, body) = await SendAsync(server, HttpMethod.Delete, "/song/c", user);

        Assert.Equal((status, reason + "\n"), (answered, body));
        Assert.Equal(3, server.Counts.Get("c"));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "Sign in as an admin to clear every count.")]
    [InlineData(User, HttpStatusCode.Forbidden, "Only an admin may clear every count.")]
    public async Task Clearing_every_count_is_refused_to_anyone_but_an_admin(string? user, HttpStatusCode status, string reason)
    {
        var server = await StartAsync(flush: false);

        Assert.Equal((status, reason + "\n"), await SendAsync(server, HttpMethod.Delete, "/", user));
        Assert.Equal((HttpStatusCode.OK, "a=1,b=2,c=3"), await SendAsync(server, HttpMethod.Get, "/"));
    }

    [Theory]
    [InlineData("DELETE", "/song/c")]
    [InlineData("POST", "/flush")]
    [InlineData("DELETE", "/")]
    public async Task A_401_says_how_to_authenticate_and_a_403_does_not(string method, string path)
    {
        var server = await StartAsync();

        using var nobody = await RequestAsync(server, new HttpMethod(method), path);
        using var user = await RequestAsync(server, new HttpMethod(method), path, User);

        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        Assert.Equal("Cookie realm=\"mergepoints\"", Assert.Single(nobody.Headers.WwwAuthenticate).ToString());
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Empty(user.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task A_refusal_asked_for_in_json_is_json()
    {
        var server = await StartAsync(flush: false);

        var (status, body) = await SendAsync(server, HttpMethod.Delete, "/song/c", User, "application/json");

        using var json = JsonDocument.Parse(body);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Only an admin may reset a song's count.", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_admin_resets_one_song_and_the_others_keep_their_counts()
    {
        var server = await StartAsync(flush: false);

        Assert.Equal((HttpStatusCode.OK, "OK"), await SendAsync(server, HttpMethod.Delete, "/song/c", Admin));
        Assert.Equal((HttpStatusCode.OK, """{"ok":true}"""), await SendAsync(server, HttpMethod.Delete, "/song/a", Admin, "application/json"));

        Assert.Equal((HttpStatusCode.OK, "b=2"), await SendAsync(server, HttpMethod.Get, "/"));
        Assert.Equal((HttpStatusCode.OK, "1"), await SendAsync(server, HttpMethod.Post, "/song/c"));
    }

    [Fact]
    public async Task An_admin_reset_survives_a_restart()
    {
        var server = await StartAsync(flush: false);
        await SendAsync(server, HttpMethod.Delete, "/song/c", Admin);
        await server.DisposeAsync();

        _server = await CounterServer.StartAsync(_directory.Path);

        Assert.Equal((HttpStatusCode.OK, "a=1,b=2"), await SendAsync(_server, HttpMethod.Get, "/"));
    }

    [Fact]
    public async Task An_admin_asking_to_reset_a_bad_id_gets_400_and_a_stranger_401_first()
    {
        var server = await StartAsync(flush: false);

        Assert.Equal((HttpStatusCode.BadRequest, "A song id cannot contain '/'.\n"), await SendAsync(server, HttpMethod.Delete, "/song/a%2Fb", Admin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(server, HttpMethod.Delete, "/song/a%2Fb")).Status);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "Sign in as an admin to flush the counts into the database.")]
    [InlineData(User, HttpStatusCode.Forbidden, "Only an admin may flush the counts into the database.")]
    public async Task Flushing_is_refused_to_anyone_but_an_admin(string? user, HttpStatusCode status, string reason)
    {
        var server = await StartAsync();

        Assert.Equal((status, reason + "\n"), await SendAsync(server, HttpMethod.Post, "/flush", user));
        Assert.Equal(6, server.Counts.All().Sum(song => song.Value));
    }

    [Fact]
    public async Task An_admin_flush_moves_the_plays_into_the_database_and_says_how_many()
    {
        var server = await StartAsync();

        Assert.Equal((HttpStatusCode.OK, "flushed 6 plays of 3 songs"), await SendAsync(server, HttpMethod.Post, "/flush", Admin));

        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, await _database!.PlayCountsAsync());
        Assert.Empty(server.Counts.All());
        await server.Counts.IncrementAsync("b", Cancel);
        Assert.Equal((HttpStatusCode.OK, """{"songs":1,"plays":1}"""), await SendAsync(server, HttpMethod.Post, "/flush", Admin, "application/json"));
        await server.Counts.IncrementAsync("b", Cancel);
        Assert.Equal((HttpStatusCode.OK, "flushed 1 play of 1 song"), await SendAsync(server, HttpMethod.Post, "/flush", Admin));
        Assert.Equal(4, (await _database.PlayCountsAsync())["b"]);
    }

    [Fact]
    public async Task Flushing_where_write_behind_is_not_set_up_is_404()
    {
        var server = await StartAsync(flush: false);

        var (status, body) = await SendAsync(server, HttpMethod.Post, "/flush", Admin);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith("Write-behind is not set up here", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flush_the_database_refuses_is_503_in_one_line_and_loses_no_play()
    {
        var server = await StartAsync(flush: false);
        await server.DisposeAsync();
        // A datastore without the counter's ledger: the flush fails in the database.
        await using var bare = await Databases.CreateAsync(DatastoreKind.Sqlite);
        _server = await CounterServer.StartAsync(_directory.Path, flush: counts => new SongsWriteBehind(counts, bare.Datastore.OpenAsync).FlushAsync);

        var (status, body) = await SendAsync(_server, HttpMethod.Post, "/flush", Admin);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Matches("^The flush failed \\(.*counter_flushes.*\\); nothing is lost, the plays stay in the counter. Try again later.\n$", body);
        Assert.Equal(6, _server.Counts.All().Sum(song => song.Value));
    }

    [Fact]
    public async Task Two_counters_sharing_one_counter_id_get_a_503_that_says_so()
    {
        var server = await StartAsync();
        // Another counter with this one's counter.id (a copied directory) has flushed batch 1 already.
        await _database!.AddLedgerRowAsync(server.Counts.CounterId.ToString("D"), 1);

        var (status, body) = await SendAsync(server, HttpMethod.Post, "/flush", Admin);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Matches("^The flush failed \\(.*two counters share one counter.id.*\\); nothing is lost", body);
        Assert.Equal(6, server.Counts.All().Sum(song => song.Value));
    }

    [Fact]
    public async Task A_failure_that_gives_no_reason_still_answers_one_sentence()
    {
        _server = await CounterServer.StartAsync(_directory.Path, flush: _ => _ => Task.FromException<WriteBehindResult>(new TimeoutException("")));

        var (status, body) = await SendAsync(_server, HttpMethod.Post, "/flush", Admin);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "The flush failed; nothing is lost, the plays stay in the counter. Try again later.\n"), (status, body));
    }

    [Fact]
    public async Task A_flush_that_fails_for_a_bug_is_a_500_and_not_a_503_to_retry()
    {
        _server = await CounterServer.StartAsync(_directory.Path, flush: _ => _ => throw new InvalidOperationException("Flush 3 is not the pending flush (none)."));

        using var response = await RequestAsync(_server, HttpMethod.Post, "/flush", Admin);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Flush_takes_only_post(string method)
    {
        var server = await StartAsync(flush: false);

        using var response = await RequestAsync(server, new HttpMethod(method), "/flush", Admin);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(", ", response.Content.Headers.Allow));
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(CounterServer server, HttpMethod method, string path, string? user = null, string? accept = null)
    {
        using var response = await RequestAsync(server, method, path, user, accept);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>The request as <paramref name="user"/> (nobody when null), asking for <paramref name="accept"/>.</summary>
    private static async Task<HttpResponseMessage> RequestAsync(CounterServer server, HttpMethod method, string path, string? user = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (user is not null)
        {
            request.Headers.Add(HeaderUser.Header, user);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await server.Client.SendAsync(request, Cancel);
    }
}
