using System.Globalization;
using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Http;

/// <summary>64 clients at once, each with its own connection, POSTing over a real socket: no play may be lost.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Clients = 64;
    private const int PostsPerClient = 1_000;
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Memory)]
    public async Task Sixty_four_clients_posting_one_song_give_the_exact_total(Durability durability)
    {
        await using var server = await CounterServer.StartAsync(_directory.Path, durability);

        var answers = await PostFromEveryClientAsync(server.Url, (_, _) => "hit");

        Assert.Equal(Clients * PostsPerClient, server.Counts.Get("hit"));
        // Every answer is a distinct count: each POST saw its own increment and no other's.
        Assert.Equal(Enumerable.Range(1, Clients * PostsPerClient).Select(n => (long)n), answers.Order());
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Memory)]
    public async Task Sixty_four_clients_posting_many_songs_give_the_exact_totals(Durability durability)
    {
        await using var server = await CounterServer.StartAsync(_directory.Path, durability);

        await PostFromEveryClientAsync(server.Url, (client, post) => $"s{(client * 7 + post) % 100}");

        // Song s(k) is hit once for each (client, post) with (7·client + post) mod 100 = k: 640 times each.
        var expected = Enumerable.Range(0, 100).ToDictionary(k => $"s{k}", _ => (long)(Clients * PostsPerClient / 100));
        Assert.Equal(expected, server.Counts.All().ToDictionary());
    }

    private static async Task<List<long>> PostFromEveryClientAsync(Uri url, Func<int, int, string> song)
    {
        var clients = Enumerable.Range(0, Clients).Select(async client =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = url };
            var answers = new List<long>(PostsPerClient);
            for (var post = 0; post < PostsPerClient; post++)
            {
                using var response = await http.PostAsync(new Uri("/song/" + song(client, post), UriKind.Relative), null, TestContext.Current.CancellationToken);
                response.EnsureSuccessStatusCode();
                answers.Add(long.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture));
            }
            return answers;
        });
        return [.. (await Task.WhenAll(clients)).SelectMany(a => a)];
    }

    public void Dispose() => _directory.Dispose();
}
