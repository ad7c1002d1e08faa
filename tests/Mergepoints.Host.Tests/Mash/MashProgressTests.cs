using System.Net;
using System.Text.Json;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>
/// A mash's progress as server-sent events and as JSON. The site runs no workers of its own here: a mash stays
/// queued until the test starts a <c>mergepoints worker</c>, so what the stream says before and after is known.
/// </summary>
public sealed class MashProgressTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoWorkers = new() { ["Jobs:InProcess"] = "false" };
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Data => Path.Combine(_directory.Path, "data");

    [Fact]
    public async Task The_event_stream_sends_each_change_as_it_happens_and_ends_with_done()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: NoWorkers);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.OfLength(seconds: 20), TestSongs.B);
        using var stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);

        // Read off the open socket before any worker exists: the server sent it at once, it did not gather events.
        var queued = await stream.NextAsync(Cancel);
        await using var worker = await HostProcess.StartWorkerAsync(Data, workers: 1, new Dictionary<string, string> { ["Jobs__PollMilliseconds"] = "100" });
        var rest = await stream.ReadToEndAsync(Cancel);

        Assert.Equal("progress", queued?.Event);
        Assert.Equal("queued", Json(queued!.Value.Data).GetProperty("status").GetString());
        Assert.Equal("no-store, no-transform", stream.Headers.CacheControl?.ToString());
        Assert.Equal("no", Assert.Single(stream.Headers.GetValues("X-Accel-Buffering")));
        var progress = rest.Where(e => e.Event == "progress").Select(e => Json(e.Data)).ToList();
        Assert.Contains(progress, p => p.GetProperty("status").GetString() == "running");
        var percents = progress.Select(p => p.GetProperty("percent").GetInt32()).Prepend(0).ToList();
        Assert.Equal(percents.Order(), percents);
        var (last, data) = rest[^1];
        Assert.Equal("done", last);
        var done = Json(data);
        Assert.Matches("^[0-9a-f]{32}$", done.GetProperty("songId").GetString());
        Assert.Equal($"/mashes/{mashId}/download", done.GetProperty("downloadUrl").GetString());
    }

    [Fact]
    public async Task A_mash_that_fails_ends_its_stream_with_failed_and_the_reason()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: NoWorkers);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
        // The songs' files gone before any worker reads them: the mash cannot be made.
        MashSites.DeleteSongFiles(_directory);
        using var stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);
        Assert.Equal("progress", (await stream.NextAsync(Cancel))?.Event);

        await using var worker = await HostProcess.StartWorkerAsync(Data, workers: 1, new Dictionary<string, string> { ["Jobs__PollMilliseconds"] = "100", ["Jobs__MaxAttempts"] = "1" });
        var rest = await stream.ReadToEndAsync(Cancel);

        var (last, data) = rest[^1];
        Assert.Equal("failed", last);
        Assert.NotEmpty(Json(data).GetProperty("error").GetString()!);
        Assert.Contains("\"status\":\"failed\"", await ann.GetStringAsync($"/mashes/{mashId}/status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mash_deleted_while_watched_ends_its_stream_with_failed()
    {
        await using var site = await MashSites.StartAsync(_directory, settings: NoWorkers);
        using var ann = await MashVisitor.SignedUpAsync(site, "ann");
        var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
        using var stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);
        Assert.Equal("progress", (await stream.NextAsync(Cancel))?.Event);

        using var deleted = await ann.SubmitAsync($"/mashes/{mashId}/delete", $"/mashes/{mashId}/delete");
        var rest = await stream.ReadToEndAsync(Cancel);

        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Equal(("failed", """{"error":"This mash has been deleted."}"""), rest[^1]);
    }

    [Fact]
    public async Task An_open_event_stream_ends_cleanly_as_soon_as_the_host_stops()
    {
        var site = await MashSites.StartAsync(_directory, settings: NoWorkers);
        var stopped = false;
        IReadOnlyList<(string Event, string Data)> rest;
        try
        {
            using var ann = await MashVisitor.SignedUpAsync(site, "ann");
            var mashId = await ann.MashAsync(TestSongs.A, TestSongs.B);
            using var stream = await EventStreamReader.OpenAsync(ann.Client, $"/mashes/{mashId}/events", Cancel);
            Assert.Equal("progress", (await stream.NextAsync(Cancel))?.Event);

            var reading = stream.ReadToEndAsync(Cancel);
            stopped = true;
            await site.DisposeAsync();
            // Cut off by the host's shutdown timeout instead, the read throws: the stream had no proper end.
            rest = await reading;
        }
        finally
        {
            if (!stopped)
            {
                await site.DisposeAsync();
            }
        }

        Assert.Empty(rest);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("events")]
    public async Task An_unknown_mash_is_a_JSON_404_from_status_and_events(string what)
    {
        await using var site = await MashSites.StartAsync(_directory, settings: NoWorkers);

        using var response = await site.Client.GetAsync($"/mashes/0123456789abcdef0123456789abcdef/{what}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no mash with this id", Json(await response.Content.ReadAsStringAsync(Cancel)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
