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

    public IReadOnlyList<(TimeSpan At, string Text)> Pieces { get; }

    public string Text => string.Concat(Pieces.Select(p => p.Text));

    /// <summary>Time between the first piece and the last: about 800 ms for five chunks 200 ms apart.</summary>
    public TimeSpan Spread => Pieces[^1].At - Pieces[0].At;

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
