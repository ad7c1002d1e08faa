using System.Globalization;
using System.Net;
using System.Security.Claims;
using Mergepoints.Counter.Client;
using Mergepoints.Counter.Http;
using Mergepoints.Counter.Storage;
using Mergepoints.Counter.Tests.Client;
using Mergepoints.Counter.WriteBehind;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Http;

/// <summary>
/// The gateway over two real counter shards on Kestrel: songs go to the shard the placement names, <c>GET /</c>
/// merges, the admin's routes carry the caller's cookie to every shard, and a shard that fails is named.
/// </summary>
public sealed class CounterGatewayTests : IAsyncDisposable
{
    private const string AdminCookie = "user=root:admin";
    private const string UserCookie = "user=ann";

    private readonly TempDirectory _directory = new();
    private readonly List<IAsyncDisposable> _running = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _logged = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var running in Enumerable.Reverse(_running))
        {
            await running.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task Songs_land_on_the_shard_the_placement_names_and_on_it_only()
    {
        var (gateway, client, shards) = await StartAsync();
        var ids = Enumerable.Range(0, 40).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();

        foreach (var id in ids)
        {
            Assert.Equal("1", await Answer(await Send(gateway, HttpMethod.Post, "song/" + id)));
        }

        foreach (var id in ids)
        {
            var owner = client.ServerFor(id);
            Assert.Equal([1, 0], shards.OrderBy(shard => shard.Url == owner ? 0 : 1).Select(shard => shard.Counts.Get(id)));
        }
        Assert.All(shards, shard => Assert.NotEmpty(shard.Counts.All()));
        Assert.Equal("1", await Answer(await Send(gateway, HttpMethod.Get, "song/7")));
    }

    [Fact]
    public async Task Get_all_merges_every_shard_in_plain_text_and_in_json()
    {
        var (gateway, _, shards) = await StartAsync();
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f" })
        {
            await Send(gateway, HttpMethod.Post, "song/" + id);
        }
        await Send(gateway, HttpMethod.Post, "song/b");
        var all = shards.SelectMany(shard => shard.Counts.All()).OrderBy(count => count.Key, StringComparer.Ordinal).ToArray();

        var text = await Answer(await Send(gateway, HttpMethod.Get, ""));
        var json = await Answer(await Send(gateway, HttpMethod.Get, "", accept: "application/json"));

        Assert.Equal("a=1,b=2,c=1,d=1,e=1,f=1", text);
        Assert.Equal(string.Join(",", all.Select(count => $"{count.Key}={count.Value}")), text);
        Assert.Equal("""{"a":1,"b":2,"c":1,"d":1,"e":1,"f":1}""", json);
    }

    [Theory]
    [InlineData("DELETE", "", "clear every count")]
    [InlineData("DELETE", "song/a", "reset a song's count")]
    [InlineData("POST", "flush", "flush the counts into the database")]
    public async Task An_admin_route_is_refused_as_the_counter_refuses_it_and_sent_to_no_shard(string method, string path, string action)
    {
        var (gateway, _, shards) = await StartAsync();
        await Send(gateway, HttpMethod.Post, "song/a");

        var nobody = await Send(gateway, new HttpMethod(method), path);
        var user = await Send(gateway, new HttpMethod(method), path, UserCookie);

        Assert.Equal((HttpStatusCode.Unauthorized, $"Sign in as an admin to {action}.\n"), (nobody.StatusCode, await Answer(nobody)));
        Assert.Equal("Cookie realm=\"mergepoints\"", nobody.Headers.WwwAuthenticate.ToString());
        Assert.Equal((HttpStatusCode.Forbidden, $"Only an admin may {action}.\n"), (user.StatusCode, await Answer(user)));
        Assert.Equal(1, shards.Sum(shard => shard.Counts.Get("a")));
        Assert.All(shards, shard => Assert.Equal(0, shard.Flushes));
    }

    [Fact]
    public async Task An_admin_clears_every_shard_with_the_own_cookie_each_shard_checks()
    {
        var (gateway, _, shards) = await StartAsync();
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f" })
        {
            await Send(gateway, HttpMethod.Post, "song/" + id);
        }

        var reset = await Send(gateway, HttpMethod.Delete, "", AdminCookie);

        Assert.Equal((HttpStatusCode.OK, "OK"), (reset.StatusCode, await Answer(reset)));
        Assert.All(shards, shard => Assert.Empty(shard.Counts.All()));
    }

    [Fact]
    public async Task An_admin_resets_a_song_on_its_shard()
    {
        var (gateway, _, shards) = await StartAsync();
        await Send(gateway, HttpMethod.Post, "song/a");
        await Send(gateway, HttpMethod.Post, "song/b");

        var reset = await Send(gateway, HttpMethod.Delete, "song/a", AdminCookie);

        Assert.Equal((HttpStatusCode.OK, "OK"), (reset.StatusCode, await Answer(reset)));
        Assert.Equal((0, 1), (shards.Sum(shard => shard.Counts.Get("a")), shards.Sum(shard => shard.Counts.Get("b"))));
    }

    [Fact]
    public async Task An_admin_flush_runs_on_every_shard_and_answers_what_they_moved_together()
    {
        var (gateway, _, shards) = await StartAsync();
        foreach (var id in new[] { "a", "b", "c", "d", "e", "f", "a" })
        {
            await Send(gateway, HttpMethod.Post, "song/" + id);
        }

        var text = await Send(gateway, HttpMethod.Post, "flush", AdminCookie);
        var json = await Send(gateway, HttpMethod.Post, "flush", AdminCookie, "application/json");

        Assert.Equal((HttpStatusCode.OK, "flushed 7 plays of 6 songs"), (text.StatusCode, await Answer(text)));
        Assert.Equal("""{"songs":6,"plays":7}""", await Answer(json));
        Assert.All(shards, shard => Assert.Equal(2, shard.Flushes));
    }

    [Fact]
    public async Task A_shard_that_is_down_is_named_in_a_502_and_the_other_shard_still_answers()
    {
        var (gateway, client, shards) = await StartAsync();
        var down = shards[1];
        await down.StopAsync();
        var lost = Enumerable.Range(0, 100).Select(n => $"s{n}").First(id => client.ServerFor(id) == down.Url);
        var kept = Enumerable.Range(0, 100).Select(n => $"s{n}").First(id => client.ServerFor(id) != down.Url);

        var get = await Send(gateway, HttpMethod.Get, "song/" + lost);
        var post = await Send(gateway, HttpMethod.Post, "song/" + lost);
        var all = await Send(gateway, HttpMethod.Get, "");
        var reset = await Send(gateway, HttpMethod.Delete, "", AdminCookie);

        // Publicly by its place in the list, never by its internal address; the operator's log has the address.
        Assert.Equal(HttpStatusCode.BadGateway, get.StatusCode);
        Assert.StartsWith("The counter shard 2 of 2 did not answer (", await Answer(get), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, post.StatusCode);
        Assert.StartsWith("The counter shard 2 of 2 did not answer (", await Answer(post), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, all.StatusCode);
        Assert.StartsWith("Not every counter shard answered, so there is no full count: 1 of 2 answered; shard 2 of 2: ", await Answer(all), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, reset.StatusCode);
        Assert.StartsWith("1 of 2 counter shards cleared; a shard not cleared may or may not have been: shard 2 of 2: ", await Answer(reset), StringComparison.Ordinal);
        Assert.All([await Answer(get), await Answer(post), await Answer(all), await Answer(reset)],
            body => Assert.DoesNotContain(down.Url.Authority, body, StringComparison.Ordinal));
        Assert.Equal(4, _logged.Count(line => line.Contains(down.Url.Authority, StringComparison.Ordinal)));
        Assert.All([await Answer(get), await Answer(all), await Answer(reset)], body => Assert.Single(body.TrimEnd('\n').Split('\n')));
        Assert.Equal("1", await Answer(await Send(gateway, HttpMethod.Post, "song/" + kept)));
    }

    [Fact]
    public async Task A_play_whose_answer_is_lost_is_a_503_saying_it_may_have_been_counted()
    {
        await using var silent = await CountingSite.StartSilentAsync();
        using var client = new CountClient(new CountClientOptions { Servers = [silent.Url], Timeout = TimeSpan.FromMilliseconds(300) });
        var gateway = await StartGatewayAsync(client);

        var post = await Send(gateway, HttpMethod.Post, "song/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal("The counter shard 1 of 1 did not answer (no answer within 0.3 s); this play may or may not have been counted. Try again later.\n", await Answer(post));
        Assert.NotNull(post.Headers.RetryAfter);
        Assert.Equal(1, silent.Requests);
    }

    [Theory]
    [InlineData("song/%FF")]
    [InlineData("song/%25FF")]
    public async Task An_id_that_nginx_could_place_on_another_shard_is_refused_before_any_shard_counts_it(string path)
    {
        var (gateway, _, shards) = await StartAsync();

        var post = await Send(gateway, HttpMethod.Post, path);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.StartsWith("A song id cannot contain '%' followed by two hex digits", await Answer(post), StringComparison.Ordinal);
        Assert.All(shards, shard => Assert.Empty(shard.Counts.All()));
    }

    [Theory]
    [InlineData("GET", "nope", null)]
    [InlineData("PUT", "", null)]
    [InlineData("GET", "flush", null)]
    [InlineData("PATCH", "song/a", null)]
    [InlineData("GET", "song/", null)]
    [InlineData("GET", "song/a%2Fb", "application/json")]
    [InlineData("POST", "song/%FF", null)]
    [InlineData("POST", "song/%25FF", null)]
    [InlineData("GET", "song/x%c3%28", "application/json")]
    [InlineData("GET", "song/a", "application/json")]
    [InlineData("HEAD", "song/a", null)]
    public async Task The_gateway_answers_what_a_single_counter_answers(string method, string path, string? accept)
    {
        var (gateway, _, _) = await StartAsync();
        var single = await StartShardAsync();

        var fromGateway = await Send(gateway, new HttpMethod(method), path, accept: accept);
        var fromCounter = await Send(single.Url, new HttpMethod(method), path, accept: accept);

        Assert.Equal(await Describe(fromCounter), await Describe(fromGateway));
    }

    [Fact]
    public async Task A_cookie_that_cannot_be_sent_on_to_the_shards_is_a_400_not_a_500()
    {
        // Kestrel refuses such a header before the gateway sees it, so the gateway is called as a server would.
        var (_, client, shards) = await StartAsync();
        var app = CounterGateway.Create(client);
        using var body = new MemoryStream();
        var environment = new Dictionary<string, object>
        {
            ["owin.RequestPath"] = "/flush",
            ["owin.RequestMethod"] = "POST",
            ["owin.RequestHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["Cookie"] = ["user=root:admin\r\nX-Evil: 1"] },
            ["owin.ResponseHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
            ["owin.ResponseBody"] = body,
            ["server.User"] = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, "admin")], "test")),
        };

        await app(environment);

        Assert.Equal(400, environment["owin.ResponseStatusCode"]);
        Assert.Equal("The Cookie header cannot be sent on to the counter shards as it is.\n", System.Text.Encoding.UTF8.GetString(body.ToArray()));
        Assert.All(shards, shard => Assert.Equal(0, shard.Flushes));
    }

    private static async Task<string> Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType} Allow={response.Content.Headers.Allow} "
        + $"{response.Headers.CacheControl} {await Answer(response)}";

    private async Task<(Uri Gateway, CountClient Client, Shard[] Shards)> StartAsync()
    {
        Shard[] shards = [await StartShardAsync(), await StartShardAsync()];
        var client = new CountClient(new CountClientOptions { Servers = [.. shards.Select(shard => shard.Url)] });
        _running.Add(new Disposing(client));
        return (await StartGatewayAsync(client), client, shards);
    }

    private async Task<Uri> StartGatewayAsync(CountClient client)
    {
        var site = await KestrelSite.StartAsync(CookieUser(CounterGateway.Create(client, _logged.Enqueue)));
        _running.Add(site);
        return site.Url;
    }

    private async Task<Shard> StartShardAsync()
    {
        var shard = await Shard.StartAsync(Path.Combine(_directory.Path, Guid.NewGuid().ToString("N")));
        _running.Add(shard);
        return shard;
    }

    private static async Task<HttpResponseMessage> Send(Uri site, HttpMethod method, string path, string? cookie = null, string? accept = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(site, path));
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }
        var response = await http.SendAsync(request, Cancel);
        await response.Content.LoadIntoBufferAsync(Cancel);
        return response;
    }

    private static Task<string> Answer(HttpResponseMessage response) => response.Content.ReadAsStringAsync(Cancel);

    /// <summary>
    /// Stands in for the host's session: the <c>user</c> cookie names the user (<c>root:admin</c> is an admin). The
    /// gateway and the shards read it the same way, as instances sharing a key ring read one session.
    /// </summary>
    private static Func<IDictionary<string, object>, Task> CookieUser(Func<IDictionary<string, object>, Task> app) => environment =>
    {
        var headers = (IDictionary<string, string[]>)environment["owin.RequestHeaders"];
        if (headers.TryGetValue("Cookie", out var cookies) && cookies.Length == 1 && cookies[0].StartsWith("user=", StringComparison.Ordinal))
        {
            var parts = cookies[0]["user=".Length..].Split(':');
            List<Claim> claims = [new(ClaimTypes.Name, parts[0])];
            claims.AddRange(parts.Skip(1).Select(role => new Claim(ClaimTypes.Role, role)));
            environment["server.User"] = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        }
        return app(environment);
    };

    /// <summary>A counter shard on Kestrel over counts of its own, whose flush reports what it holds and counts the calls.</summary>
    private sealed class Shard : IAsyncDisposable
    {
        private KestrelSite? _site;
        private int _flushes;

        private Shard(PlayCounts counts) => Counts = counts;

        public PlayCounts Counts { get; }

        public Uri Url { get; private set; } = null!;

        public int Flushes => Volatile.Read(ref _flushes);

        public static async Task<Shard> StartAsync(string directory)
        {
            var shard = new Shard(await PlayCounts.OpenAsync(new CounterOptions { Directory = directory, Durability = Durability.Memory }, Cancel));
            shard._site = await KestrelSite.StartAsync(CookieUser(CounterApp.Create(shard.Counts, _ =>
            {
                Interlocked.Increment(ref shard._flushes);
                var held = shard.Counts.All();
                return Task.FromResult(new WriteBehindResult(1, held.Count, held.Sum(count => count.Value), [], PendingFlushOutcome.None));
            })));
            shard.Url = shard._site.Url;
            return shard;
        }

        public async Task StopAsync()
        {
            await _site!.DisposeAsync();
            _site = null;
        }

        public async ValueTask DisposeAsync()
        {
            if (_site is not null)
            {
                await _site.DisposeAsync();
            }
            await Counts.DisposeAsync();
        }
    }

    private sealed class Disposing(IDisposable disposable) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
