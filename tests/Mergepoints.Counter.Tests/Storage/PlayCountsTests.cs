using Mergepoints.Counter.Storage;
using Mergepoints.Testing;

namespace Mergepoints.Counter.Tests.Storage;

public sealed class PlayCountsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private CounterOptions Options(Durability durability) => new() { Directory = _directory.Path, Durability = durability };

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    [InlineData(Durability.Memory)]
    public async Task An_increment_returns_the_new_count_and_get_sees_it(Durability durability)
    {
        await using var counts = await PlayCounts.OpenAsync(Options(durability), Cancel);

        Assert.Equal(1, await counts.IncrementAsync("a", Cancel));
        Assert.Equal(2, await counts.IncrementAsync("a", Cancel));
        Assert.Equal(1, await counts.IncrementAsync("b", Cancel));

        Assert.Equal(2, counts.Get("a"));
        Assert.Equal(1, counts.Get("b"));
        Assert.Equal(0, counts.Get("never"));
    }

    [Fact]
    public async Task All_lists_the_played_songs_ordered_by_id()
    {
        await using var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);
        foreach (var song in new[] { "zeta", "alpha", "Mid", "alpha", "ünï" })
        {
            await counts.IncrementAsync(song, Cancel);
        }

        Assert.Equal(
            [new("Mid", 1), new("alpha", 2), new("zeta", 1), new("ünï", 1)],
            counts.All());
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Memory)]
    public async Task Reset_clears_every_count(Durability durability)
    {
        await using var counts = await PlayCounts.OpenAsync(Options(durability), Cancel);
        await counts.IncrementAsync("a", Cancel);
        await counts.IncrementAsync("b", Cancel);

        await counts.ResetAsync(Cancel);

        Assert.Empty(counts.All());
        Assert.Equal(0, counts.Get("a"));
        Assert.Equal(1, await counts.IncrementAsync("a", Cancel));
    }

    [Theory]
    [InlineData(Durability.Fsync)]
    [InlineData(Durability.Batch)]
    public async Task Counts_and_a_reset_survive_reopening(Durability durability)
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(durability), Cancel))
        {
            await counts.IncrementAsync("gone", Cancel);
            await counts.ResetAsync(Cancel);
            await counts.IncrementAsync("a", Cancel);
            await counts.IncrementAsync("a", Cancel);
            await counts.IncrementAsync("b", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(durability), Cancel);

        Assert.Equal([new("a", 2), new("b", 1)], reopened.All());
        Assert.Equal(0, reopened.Recovery.DroppedBytes);
    }

    [Fact]
    public async Task Memory_mode_writes_nothing_and_forgets_on_reopen()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(Durability.Memory), Cancel))
        {
            await counts.IncrementAsync("a", Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(Durability.Memory), Cancel);

        Assert.Equal(0, reopened.Get("a"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task The_counter_keeps_its_identity_across_restarts()
    {
        Guid first;
        await using (var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel))
        {
            first = counts.CounterId;
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);

        Assert.NotEqual(Guid.Empty, first);
        Assert.Equal(first, reopened.CounterId);
    }

    [Fact]
    public async Task A_log_whose_counter_id_is_gone_stops_start_up_instead_of_taking_a_new_identity()
    {
        await using (var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel))
        {
            await counts.IncrementAsync("a", Cancel);
        }
        var id = Path.Combine(_directory.Path, "counter.id");
        File.Delete(id);

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel));

        Assert.Contains("counter.id", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(File.Exists(id));
    }

    [Fact]
    public async Task A_stale_counter_id_temp_file_is_cleaned_up_and_the_identity_kept()
    {
        Guid first;
        await using (var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel))
        {
            first = counts.CounterId;
        }
        var temp = Path.Combine(_directory.Path, "counter.id.tmp");
        File.WriteAllText(temp, "0f0f");

        await using var reopened = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);

        Assert.False(File.Exists(temp));
        Assert.Equal(first, reopened.CounterId);
    }

    [Fact]
    public async Task A_directory_in_use_cannot_be_opened_a_second_time()
    {
        // In one process: the lock is taken per open file, so a second open here is refused as another process's is.
        await using var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);

        await Assert.ThrowsAsync<IOException>(async () => await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel));
    }

    [Fact]
    public async Task A_song_id_the_log_cannot_hold_is_refused_and_nothing_is_counted()
    {
        await using var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);
        string[] refused = ["", new string('é', 65), "lone " + (char)0xD800];

        foreach (var songId in refused)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await counts.IncrementAsync(songId, Cancel));
        }

        Assert.Empty(counts.All());
        Assert.Equal(0, counts.Statistics.LoggedPlays);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("tab\there")]
    [InlineData("\0")]
    [InlineData("del\u007F")]
    [InlineData("next line\u0085")]
    public async Task A_song_id_with_a_control_character_is_refused_with_a_one_line_reason(string songId)
    {
        await using var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await counts.IncrementAsync(songId, Cancel));

        Assert.StartsWith("A song id cannot contain control characters.", error.Message, StringComparison.Ordinal);
        Assert.Empty(counts.All());
    }

    [Fact]
    public async Task A_song_id_of_128_utf8_bytes_round_trips()
    {
        var longest = new string('é', 64);
        await using (var counts = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel))
        {
            await counts.IncrementAsync(longest, Cancel);
        }

        await using var reopened = await PlayCounts.OpenAsync(Options(Durability.Fsync), Cancel);

        Assert.Equal(1, reopened.Get(longest));
    }

    [Fact]
    public async Task Batch_mode_puts_an_answered_play_on_disk_without_being_stopped()
    {
        var options = Options(Durability.Batch);
        options.BatchMilliseconds = 100;
        await using var counts = await PlayCounts.OpenAsync(options, Cancel);
        await counts.IncrementAsync("a", Cancel);

        // The writer's own count of plays written and fsynced; the deadline only guards against a hang.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (counts.Statistics.LoggedPlays == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(options.BatchMilliseconds / 4, Cancel);
        }

        // What a crash now would leave: the files as they are, read by another counter.
        using var copy = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(_directory.Path, "log-*").Append(Path.Combine(_directory.Path, "counter.id")))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }
        await using var reopened = await PlayCounts.OpenAsync(new CounterOptions { Directory = copy.Path }, Cancel);
        Assert.Equal(1, reopened.Get("a"));
    }
}
