using System.Diagnostics;
using System.Text;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// Reads a response body as it arrives and notes when each piece came: a body that was buffered somewhere
/// on the way arrives in one piece at the end, a streamed one piece by piece.
/// </summary>
public sealed class ArrivalLog
{
    private ArrivalLog(List<(TimeSpan At, string Text)> pieces) => Pieces = pieces;

    /// <summary>What the test apps' /stream answers: five chunks, 200 ms apart.</summary>
    public static readonly string FiveChunks = string.Concat(Enumerable.Range(0, 5).Select(i => $"chunk {i}\n"));

    /// <summary>What the test apps' /events answers: five server-sent events, 200 ms apart.</summary>
    public static readonly string FiveEvents = string.Concat(Enumerable.Range(0, 5).Select(i => $"data: {i}\n\n"));

    public IReadOnlyList<(TimeSpan At, string Text)> Pieces { get; }

    public string Text => string.Concat(Pieces.Select(p => p.Text));

    /// <summary>Time between the first piece and the last: about 800 ms for five chunks 200 ms apart.</summary>
    public TimeSpan Spread => Pieces[^1].At - Pieces[0].At;

    /// <summary>Asserts that <paramref name="url"/> answers <paramref name="expected"/> piece by piece, not all at the end.</summary>
    public static async Task AssertStreamedAsync(HttpClient client, string url, string expected)
    {
        var log = await ReadAsync(client, url, TestContext.Current.CancellationToken);

        Assert.Equal(expected, log.Text);
        Assert.True(log.Pieces.Count >= 3 && log.Spread > TimeSpan.FromMilliseconds(500), $"arrived in {log.Pieces.Count} pieces over {log.Spread}");
    }

    public static async Task<ArrivalLog> ReadAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var pieces = new List<(TimeSpan, string)>();
        var buffer = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            pieces.Add((clock.Elapsed, Encoding.UTF8.GetString(buffer, 0, read)));
        }
        return new ArrivalLog(pieces);
    }
}
