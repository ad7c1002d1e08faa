using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class ConcurrencyTests : IDisposable
{
    private const int Callers = 64;
    private const int PlaysEach = 1000;

    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    [InlineData(Durability.Memory)]
    public async Task Sixty_four_callers_on_one_song_give_the_exact_total(Durability durability)
    {
        var options = new CounterOptions { Directory = _directory.Path, Durability = durability };
        await using (var counts = await PlayCounts.OpenAsync(options, Cancel))
        {
            var answers = await PlayAsync(counts, _ => "hit");

            Assert.Equal(Callers * PlaysEach, counts.Get("hit"));
            // Each play was answered with a count of its own: none lost, none doubled.
            Assert.Equal(Enumerable.Range(1, Callers * PlaysEach).Select(n => (long)n), answers.Order());
        }
        if (durability != Durability.Memory)
        {
            await using var reopened = await PlayCounts.OpenAsync(options, Cancel);
            Assert.Equal(Callers * PlaysEach, reopened.Get("hit"));
        }
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    [InlineData(Durability.Memory)]
    public async Task Sixty_four_callers_on_many_songs_give_exact_totals(Durability durability)
    {
        var options = new CounterOptions { Directory = _directory.Path, Durability = durability };
        await using (var counts = await PlayCounts.OpenAsync(options, Cancel))
        {
            await PlayAsync(counts, play => $"song-{play % 100}");

            AssertEveryHundredthSong(counts);
        }
        if (durability != Durability.Memory)
        {
            await using var reopened = await PlayCounts.OpenAsync(options, Cancel);
            AssertEveryHundredthSong(reopened);
        }
    }

    [Fact]
    public async Task One_fsync_covers_many_concurrent_plays()
    {
        await using var counts = await PlayCounts.OpenAsync(new CounterOptions { Directory = _directory.Path }, Cancel);

        await PlayAsync(counts, _ => "hit");

        var statistics = counts.Statistics;
        Assert.Equal(Callers * PlaysEach, statistics.LoggedPlays);
        Assert.InRange(statistics.Fsyncs, 1, statistics.LoggedPlays / 2);
    }

    private static void AssertEveryHundredthSong(PlayCounts counts)
    {
        var all = counts.All();
        Assert.Equal(100, all.Count);
        Assert.All(all, song => Assert.Equal(Callers * PlaysEach / 100, song.Value));
    }

    /// <summary>Every caller plays <see cref="PlaysEach"/> times, each awaiting its answer before the next, as a client would.</summary>
    private static async Task<List<long>> PlayAsync(PlayCounts counts, Func<int, string> song)
    {
        var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
        {
            var answers = new List<long>(PlaysEach);
            for (var play = 0; play < PlaysEach; play++)
            {
                answers.Add(await counts.IncrementAsync(song(caller * PlaysEach + play), Cancel));
            }
            return answers;
        }, Cancel));
        return [.. (await Task.WhenAll(callers)).SelectMany(answers => answers)];
    }
}
